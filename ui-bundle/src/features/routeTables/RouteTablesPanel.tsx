import { App, Button, Flex, Tag, Typography } from 'antd';
import { useState } from 'react';
import { BranchesOutlined, PlusOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { NameModal } from '../../components/NameModal';
import { Link } from 'react-router-dom';
import type { TableProps } from 'antd';
import type { RouteTable, Vpc } from '../../api/types';
import { PagedTable } from '../../components/PagedTable';
import { EmptyState, NotServedYet } from '../../components/EmptyState';
import { IdLink, ResourceId } from '../../components/format';
import { useCursorPager } from '../../components/pagination';
import { useCreateRouteTableMutation, useListRouteTablesQuery } from './api';

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
  const [create] = useCreateRouteTableMutation();
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  const { message } = App.useApp();
  return (
    <>
    {query.data && (
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">Where traffic leaving the VPC's subnets goes. Open a table to add routes and associate subnets.</Typography.Text>
        <Button icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          Create route table
        </Button>
      </Flex>
    )}
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
    <NameModal
      open={creating}
      title={`Create a route table in ${vpc.name}`}
      okText="Create"
      placeholder="e.g. private"
      onClose={() => setCreating(false)}
      onCreate={async (name) => {
        const table = await create({ vpc_id: vpc.id, name }).unwrap();
        message.success('Route table created');
        navigate(`/route-tables/${table.id}`);
      }}
    />
    </>
  );
}
