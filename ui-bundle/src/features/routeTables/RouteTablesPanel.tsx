import { Tag } from 'antd';
import { BranchesOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import type { TableProps } from 'antd';
import type { RouteTable, Vpc } from '../../api/types';
import { PagedTable } from '../../components/PagedTable';
import { EmptyState, NotServedYet } from '../../components/EmptyState';
import { IdLink, ResourceId } from '../../components/format';
import { useCursorPager } from '../../components/pagination';
import { useListRouteTablesQuery } from './api';

export function routeTableColumns(showVpc: boolean): NonNullable<TableProps<RouteTable>['columns']> {
  return [
    {
      title: 'Name',
      dataIndex: 'name',
      render: (name: string, rt) => (
        <Link to={`/route-tables/${rt.id}`} className="strong-link">
          {name || rt.id.slice(0, 8)}
        </Link>
      ),
    },
    { title: 'Route table ID', dataIndex: 'id', render: (id: string) => <ResourceId id={id} /> },
    ...(showVpc ? [{ title: 'VPC', dataIndex: 'vpc_id', render: (id: string) => <IdLink to={`/vpcs/${id}`} id={id} /> }] : []),
    { title: 'Main', dataIndex: 'is_main', render: (main: boolean) => (main ? <Tag color="blue">main</Tag> : null) },
    { title: 'Routes', dataIndex: 'routes', align: 'right' as const, render: (routes: unknown[]) => routes.length },
    {
      title: 'Explicit subnets',
      dataIndex: 'subnet_ids',
      align: 'right' as const,
      render: (ids: string[]) => ids.length,
    },
  ];
}

export function RouteTablesPanel({ vpc }: { vpc: Vpc }) {
  const pager = useCursorPager(25);
  const query = useListRouteTablesQuery({ vpc_id: vpc.id, limit: pager.limit, page_token: pager.pageToken });
  return (
    <PagedTable<RouteTable>
      pager={pager}
      data={query.data}
      isLoading={query.isLoading}
      isFetching={query.isFetching}
      error={query.error}
      onRetry={query.refetch}
      columns={routeTableColumns(false)}
      rowKey="id"
      noun="route tables"
      size="small"
      unavailable={<NotServedYet what="route tables" icon={<BranchesOutlined className="empty-icon" />} />}
      empty={<EmptyState title="No route tables" description="Every VPC has a main route table; it shows here once the VPC is ready." />}
    />
  );
}
