import { Tag } from 'antd';
import { FileProtectOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import type { TableProps } from 'antd';
import type { NetworkAcl, Vpc } from '../../api/types';
import { PagedTable } from '../../components/PagedTable';
import { EmptyState, NotServedYet } from '../../components/EmptyState';
import { IdLink, ResourceId } from '../../components/format';
import { useCursorPager } from '../../components/pagination';
import { useListNetworkAclsQuery } from './api';

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
  return (
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
  );
}
