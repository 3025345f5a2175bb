import { App, Button, Card, Descriptions, Result, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { DeleteButton } from '../../components/DeleteButton';
import { SubnetAssociations } from '../subnets/SubnetAssociations';
import { EntryFormModal } from './EntryFormModal';
import type { Direction, NetworkAcl, NetworkAclEntry } from '../../api/types';
import { isMissingRoute, toConsoleError } from '../../api/errors';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoading } from '../../components/PageLoading';
import { NotServedYet } from '../../components/EmptyState';
import { DateText, IdLink } from '../../components/format';
import { describePorts } from '../../lib/rules';
import { useAssociateNetworkAclMutation, useDeleteNetworkAclEntryMutation, useDeleteNetworkAclMutation, useGetNetworkAclQuery } from './api';

function EntriesCard({ acl, direction }: { acl: NetworkAcl; direction: Direction }) {
  const entries = acl.entries.filter((e) => e.direction === direction).sort((a, b) => a.rule_number - b.rule_number);
  const [adding, setAdding] = useState(false);
  const [deleteEntry] = useDeleteNetworkAclEntryMutation();
  const { message } = App.useApp();
  return (
    <Card
      className="section-card"
      title={`${direction === 'inbound' ? 'Inbound' : 'Outbound'} entries`}
      extra={
        <Button icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          Add entry
        </Button>
      }
    >
      <Table<NetworkAclEntry>
        rowKey={(e) => `${e.direction}-${e.rule_number}`}
        size="small"
        pagination={false}
        dataSource={entries}
        locale={{ emptyText: 'No entries: all traffic in this direction is denied.' }}
        columns={[
          { title: 'Rule #', dataIndex: 'rule_number', width: 90 },
          { title: 'Protocol and ports', key: 'ports', render: (_, e) => describePorts(e.protocol, e.from_port, e.to_port) },
          { title: direction === 'inbound' ? 'Source' : 'Destination', dataIndex: 'cidr_block', render: (c: string) => <span className="mono">{c}</span> },
          { title: 'Action', dataIndex: 'action', render: (a: string) => <Tag color={a === 'allow' ? 'green' : 'red'}>{a}</Tag> },
          {
            title: '',
            key: 'actions',
            align: 'right',
            render: (_, e) => (
              <DeleteButton
                size="small"
                type="text"
                what={`${direction} entry ${e.rule_number}`}
                consequence="Traffic it matched is decided by the next matching entry, or denied."
                onDelete={() => deleteEntry({ aclId: acl.id, direction, rule_number: e.rule_number }).unwrap()}
                onDeleted={() => message.success('Entry deleted')}
              />
            ),
          },
        ]}
      />
      <EntryFormModal open={adding} acl={acl} direction={direction} onClose={() => setAdding(false)} onSaved={() => message.success('Entry added')} />
      <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
        Entries are evaluated from the lowest rule number; the first match decides. Traffic no entry matches is denied.
      </Typography.Paragraph>
    </Card>
  );
}

export function NetworkAclDetailPage() {
  const { id = '' } = useParams();
  const { data: acl, error, isLoading, refetch } = useGetNetworkAclQuery(id);
  const [deleteAcl] = useDeleteNetworkAclMutation();
  const [associate] = useAssociateNetworkAclMutation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  if (isLoading) {
    return <PageLoading />;
  }
  if (!acl) {
    if (isMissingRoute(error)) {
      return <NotServedYet what="network ACLs" />;
    }
    const e = toConsoleError(error);
    return e?.status === 404 || e?.status === 400 ? (
      <Result status="404" title="Network ACL not found" subTitle={e.message} extra={<Link to="/network-acls"><Button type="primary">Back to network ACLs</Button></Link>} />
    ) : (
      <ErrorAlert error={error} onRetry={refetch} />
    );
  }
  return (
    <>
      <PageHeader
        breadcrumb={[{ title: 'Network ACLs', to: '/network-acls' }, { title: acl.name || acl.id.slice(0, 8) }]}
        title={<>{acl.name || 'Network ACL'} {acl.is_default && <Tag>default</Tag>}</>}
        subtitle={acl.is_default ? "The VPC's default ACL: subnets without an ACL of their own use it." : undefined}
        extra={
          !acl.is_default && (
            <DeleteButton
              what={`network ACL ${acl.name || acl.id.slice(0, 8)}`}
              consequence="An ACL that subnets use cannot be deleted: associate them with another ACL first."
              onDelete={() => deleteAcl(acl.id).unwrap()}
              onDeleted={() => {
                message.success('Network ACL deleted');
                navigate(`/vpcs/${acl.vpc_id}`, { replace: true });
              }}
            />
          )
        }
      />
      <Card className="section-card">
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          items={[
            { key: 'id', label: 'ACL ID', children: <Typography.Text copyable className="mono">{acl.id}</Typography.Text> },
            { key: 'vpc', label: 'VPC', children: <IdLink to={`/vpcs/${acl.vpc_id}`} id={acl.vpc_id} /> },
            { key: 'subnets', label: 'Explicit subnets', children: acl.subnet_ids.length },
            { key: 'created', label: 'Created', children: <DateText iso={acl.created_at} /> },
          ]}
        />
      </Card>
      <EntriesCard acl={acl} direction="inbound" />
      <EntriesCard acl={acl} direction="outbound" />
      <Card className="section-card" title="Subnets using this ACL">
        <SubnetAssociations
          vpcId={acl.vpc_id}
          subnetIds={acl.subnet_ids}
          emptyText={acl.is_default ? 'No explicit association: every subnet without an ACL of its own uses this default ACL.' : 'No subnet uses this ACL yet.'}
          associate={(subnetId) => associate({ aclId: acl.id, subnet_id: subnetId }).unwrap()}
        />
      </Card>
    </>
  );
}
