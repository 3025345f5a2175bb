import { App, Button, Card, Descriptions, Result, Tabs, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { toConsoleError } from '../../api/errors';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoading } from '../../components/PageLoading';
import { DeleteButton } from '../../components/DeleteButton';
import { DateText, StateTag } from '../../components/format';
import { SubnetsPanel } from '../subnets/SubnetsPanel';
import { RouteTablesPanel } from '../routeTables/RouteTablesPanel';
import { SecurityGroupsPanel } from '../securityGroups/SecurityGroupsPanel';
import { NetworkAclsPanel } from '../networkAcls/NetworkAclsPanel';
import { InternetGatewayPanel } from '../internetGateways/InternetGatewayPanel';
import { useDeleteVpcMutation, useGetVpcQuery } from './api';
import { VpcFormModal } from './VpcFormModal';

export function VpcDetailPage() {
  const { id = '' } = useParams();
  const { data: vpc, error, isLoading, refetch } = useGetVpcQuery(id);
  const [deleteVpc] = useDeleteVpcMutation();
  const [editing, setEditing] = useState(false);
  const navigate = useNavigate();
  const { message } = App.useApp();

  if (isLoading) {
    return <PageLoading label="Loading the VPC…" />;
  }
  if (!vpc) {
    const e = toConsoleError(error);
    if (e?.status === 404 || e?.status === 400) {
      return (
        <Result
          status="404"
          title="VPC not found"
          subTitle={e.message}
          extra={
            <Link to="/vpcs">
              <Button type="primary">Back to VPCs</Button>
            </Link>
          }
        />
      );
    }
    return <ErrorAlert error={error} onRetry={refetch} />;
  }

  return (
    <>
      <PageHeader
        breadcrumb={[{ title: 'VPCs', to: '/vpcs' }, { title: vpc.name }]}
        title={
          <>
            {vpc.name} <StateTag state={vpc.state} />
          </>
        }
        subtitle={vpc.description || undefined}
        extra={
          <>
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
              Edit
            </Button>
            <DeleteButton
              what={`VPC ${vpc.name}`}
              consequence="The VPC, its main route table, default security group and default network ACL are deleted. A VPC with subnets or other resources cannot be deleted: delete those first."
              onDelete={() => deleteVpc(vpc.id).unwrap()}
              onDeleted={() => {
                message.success(`VPC ${vpc.name} deleted`);
                navigate('/vpcs', { replace: true });
              }}
            />
          </>
        }
      />
      <Card className="section-card">
        <Descriptions
          column={{ xs: 1, sm: 2, lg: 3 }}
          size="small"
          items={[
            { key: 'id', label: 'VPC ID', children: <Typography.Text copyable className="mono">{vpc.id}</Typography.Text> },
            { key: 'cidr', label: 'IPv4 CIDR', children: <span className="mono">{vpc.cidr_block}</span> },
            { key: 'state', label: 'State', children: <StateTag state={vpc.state} /> },
            {
              key: 'rt',
              label: 'Main route table',
              children: <Link to={`/route-tables/${vpc.main_route_table_id}`} className="mono">{vpc.main_route_table_id.slice(0, 8)}</Link>,
            },
            {
              key: 'sg',
              label: 'Default security group',
              children: <Link to={`/security-groups/${vpc.default_security_group_id}`} className="mono">{vpc.default_security_group_id.slice(0, 8)}</Link>,
            },
            {
              key: 'acl',
              label: 'Default network ACL',
              children: <Link to={`/network-acls/${vpc.default_network_acl_id}`} className="mono">{vpc.default_network_acl_id.slice(0, 8)}</Link>,
            },
            { key: 'created', label: 'Created', children: <DateText iso={vpc.created_at} /> },
            { key: 'updated', label: 'Updated', children: <DateText iso={vpc.updated_at} /> },
          ]}
        />
      </Card>
      <Card className="section-card" styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          items={[
            { key: 'subnets', label: 'Subnets', children: <SubnetsPanel vpc={vpc} /> },
            { key: 'route-tables', label: 'Route tables', children: <RouteTablesPanel vpc={vpc} /> },
            { key: 'igw', label: 'Internet gateway', children: <InternetGatewayPanel vpc={vpc} /> },
            { key: 'security-groups', label: 'Security groups', children: <SecurityGroupsPanel vpc={vpc} /> },
            { key: 'network-acls', label: 'Network ACLs', children: <NetworkAclsPanel vpc={vpc} /> },
          ]}
        />
      </Card>
      <VpcFormModal open={editing} vpc={vpc} onClose={() => setEditing(false)} onSaved={(v) => message.success(`VPC ${v.name} saved`)} />
    </>
  );
}
