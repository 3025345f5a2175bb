import { App, Button, Flex, Tag, Typography } from 'antd';
import { useState } from 'react';
import { FileProtectOutlined, PlusOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { NameModal } from '../../components/NameModal';
import { Link } from 'react-router-dom';
import type { TableProps } from 'antd';
import type { NetworkAcl, Vpc } from '../../api/types';
import { PagedTable } from '../../components/PagedTable';
import { EmptyState, NotServedYet } from '../../components/EmptyState';
import { IdLink, ResourceId } from '../../components/format';
import { useCursorPager } from '../../components/pagination';
import { useCreateNetworkAclMutation, useListNetworkAclsQuery } from './api';

export function networkAclColumns(showVpc: boolean): NonNullable<TableProps<NetworkAcl>['columns']> {
  return [
    {
      title: 'Name',
      dataIndex: 'name',
      render: (name: string, acl) => (
        <>
          <Link to={`/network-acls/${acl.id}`} className="strong-link">
            {name || acl.id.slice(0, 8)}
          </Link>{' '}
          {acl.is_default && <Tag>default</Tag>}
        </>
      ),
    },
    { title: 'ACL ID', dataIndex: 'id', render: (id: string) => <ResourceId id={id} /> },
    ...(showVpc ? [{ title: 'VPC', dataIndex: 'vpc_id', render: (id: string) => <IdLink to={`/vpcs/${id}`} id={id} /> }] : []),
    { title: 'Entries', dataIndex: 'entries', align: 'right' as const, render: (e: unknown[]) => e.length },
    { title: 'Explicit subnets', dataIndex: 'subnet_ids', align: 'right' as const, render: (ids: string[]) => ids.length },
  ];
}

export function NetworkAclsPanel({ vpc }: { vpc: Vpc }) {
  const pager = useCursorPager(25);
  const query = useListNetworkAclsQuery({ vpc_id: vpc.id, limit: pager.limit, page_token: pager.pageToken });
  const [create] = useCreateNetworkAclMutation();
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  const { message } = App.useApp();
  return (
    <>
    {query.data && (
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">Stateless allow/deny lists for whole subnets. Open an ACL to edit its entries.</Typography.Text>
        <Button icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          Create network ACL
        </Button>
      </Flex>
    )}
    <PagedTable<NetworkAcl>
      pager={pager}
      data={query.data}
      isLoading={query.isLoading}
      isFetching={query.isFetching}
      error={query.error}
      onRetry={query.refetch}
      columns={networkAclColumns(false)}
      rowKey="id"
      noun="network ACLs"
      size="small"
      unavailable={<NotServedYet what="network ACLs" icon={<FileProtectOutlined className="empty-icon" />} />}
      empty={<EmptyState title="No network ACLs" description="Every VPC has a default network ACL." />}
    />
    <NameModal
      open={creating}
      title={`Create a network ACL in ${vpc.name}`}
      okText="Create"
      placeholder="e.g. restricted"
      onClose={() => setCreating(false)}
      onCreate={async (name) => {
        const acl = await create({ vpc_id: vpc.id, name }).unwrap();
        message.success('Network ACL created: it denies everything until you add entries');
        navigate(`/network-acls/${acl.id}`);
      }}
    />
    </>
  );
}
