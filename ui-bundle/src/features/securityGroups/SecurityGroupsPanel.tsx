import { App, Button, Flex, Tag, Typography } from 'antd';
import { PlusOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { TableProps } from 'antd';
import type { SecurityGroup, Vpc } from '../../api/types';
import { PagedTable } from '../../components/PagedTable';
import { EmptyState, NotServedYet } from '../../components/EmptyState';
import { IdLink, ResourceId } from '../../components/format';
import { useCursorPager } from '../../components/pagination';
import { useListSecurityGroupsQuery } from './api';
import { SecurityGroupFormModal } from './SecurityGroupFormModal';

export function securityGroupColumns(showVpc: boolean): NonNullable<TableProps<SecurityGroup>['columns']> {
  return [
    {
      title: 'Name',
      dataIndex: 'name',
      render: (name: string, g) => (
        <>
          <Link to={`/security-groups/${g.id}`} className="strong-link">
            {name}
          </Link>{' '}
          {g.is_default && <Tag>default</Tag>}
        </>
      ),
    },
    { title: 'Group ID', dataIndex: 'id', render: (id: string) => <ResourceId id={id} /> },
    ...(showVpc ? [{ title: 'VPC', dataIndex: 'vpc_id', render: (id: string) => <IdLink to={`/vpcs/${id}`} id={id} /> }] : []),
    {
      title: 'Inbound rules',
      key: 'in',
      align: 'right' as const,
      render: (_: unknown, g: SecurityGroup) => g.rules.filter((r) => r.direction === 'inbound').length,
    },
    {
      title: 'Outbound rules',
      key: 'out',
      align: 'right' as const,
      render: (_: unknown, g: SecurityGroup) => g.rules.filter((r) => r.direction === 'outbound').length,
    },
    {
      title: 'Description',
      dataIndex: 'description',
      ellipsis: true,
      render: (d: string | null) => d || <Typography.Text type="secondary">—</Typography.Text>,
    },
  ];
}

export function SecurityGroupsPanel({ vpc }: { vpc: Vpc }) {
  const pager = useCursorPager(25);
  const query = useListSecurityGroupsQuery({ vpc_id: vpc.id, limit: pager.limit, page_token: pager.pageToken });
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  const { message } = App.useApp();
  const served = !query.error || query.data;
  return (
    <>
      {served && (
        <Flex justify="space-between" align="center" style={{ marginBottom: 12 }}>
          <Typography.Text type="secondary">Stateful firewalls for instances; the default group lets members talk to each other.</Typography.Text>
          <Button icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            Create security group
          </Button>
        </Flex>
      )}
      <PagedTable<SecurityGroup>
        pager={pager}
        data={query.data}
        isLoading={query.isLoading}
        isFetching={query.isFetching}
        error={query.error}
        onRetry={query.refetch}
        columns={securityGroupColumns(false)}
        rowKey="id"
        noun="security groups"
        size="small"
        unavailable={<NotServedYet what="security groups" icon={<SafetyCertificateOutlined className="empty-icon" />} />}
        empty={<EmptyState title="No security groups" description="Every VPC has a default security group." />}
      />
      <SecurityGroupFormModal
        open={creating}
        vpc={vpc}
        onClose={() => setCreating(false)}
        onSaved={(g) => {
          message.success(`Security group ${g.name} created`);
          navigate(`/security-groups/${g.id}`);
        }}
      />
    </>
  );
}
