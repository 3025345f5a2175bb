import { App, Button, Card, Descriptions, Result, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { Route } from '../../api/types';
import { isMissingRoute, toConsoleError } from '../../api/errors';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoading } from '../../components/PageLoading';
import { NotServedYet } from '../../components/EmptyState';
import { DeleteButton } from '../../components/DeleteButton';
import { DateText, IdLink } from '../../components/format';
import { SubnetAssociations } from '../subnets/SubnetAssociations';
import {
  useAssociateRouteTableMutation,
  useDeleteRouteMutation,
  useDeleteRouteTableMutation,
  useDisassociateRouteTableMutation,
  useGetRouteTableQuery,
} from './api';
import { RouteFormModal } from './RouteFormModal';

const TARGETS: Record<string, string> = { local: 'local (this VPC)', igw: 'internet gateway', nat: 'NAT gateway', instance: 'instance' };

export function RouteTableDetailPage() {
  const { id = '' } = useParams();
  const { data: table, error, isLoading, refetch } = useGetRouteTableQuery(id);
  const [deleteTable] = useDeleteRouteTableMutation();
  const [deleteRoute] = useDeleteRouteMutation();
  const [associate] = useAssociateRouteTableMutation();
  const [disassociate] = useDisassociateRouteTableMutation();
  const [adding, setAdding] = useState(false);
  const navigate = useNavigate();
  const { message } = App.useApp();

  if (isLoading) {
    return <PageLoading />;
  }
  if (!table) {
    if (isMissingRoute(error)) {
      return <NotServedYet what="route tables" />;
    }
    const e = toConsoleError(error);
    return e?.status === 404 || e?.status === 400 ? (
      <Result status="404" title="Route table not found" subTitle={e.message} extra={<Link to="/route-tables"><Button type="primary">Back to route tables</Button></Link>} />
    ) : (
      <ErrorAlert error={error} onRetry={refetch} />
    );
  }

  return (
    <>
      <PageHeader
        breadcrumb={[{ title: 'Route tables', to: '/route-tables' }, { title: table.name || table.id.slice(0, 8) }]}
        title={<>{table.name || 'Route table'} {table.is_main && <Tag color="blue">main</Tag>}</>}
        subtitle={table.is_main ? "The VPC's main table: subnets without a table of their own use it." : undefined}
        extra={
          !table.is_main && (
            <DeleteButton
              what={`route table ${table.name || table.id.slice(0, 8)}`}
              consequence="A table that subnets are associated with cannot be deleted."
              onDelete={() => deleteTable(table.id).unwrap()}
              onDeleted={() => {
                message.success('Route table deleted');
                navigate(`/vpcs/${table.vpc_id}`, { replace: true });
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
            { key: 'id', label: 'Route table ID', children: <Typography.Text copyable className="mono">{table.id}</Typography.Text> },
            { key: 'vpc', label: 'VPC', children: <IdLink to={`/vpcs/${table.vpc_id}`} id={table.vpc_id} /> },
            { key: 'created', label: 'Created', children: <DateText iso={table.created_at} /> },
          ]}
        />
      </Card>
      <Card
        className="section-card"
        title="Routes"
        extra={
          <Button icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            Add route
          </Button>
        }
      >
        <Table<Route>
          rowKey="destination_cidr"
          size="small"
          pagination={false}
          dataSource={table.routes}
          columns={[
            { title: 'Destination', dataIndex: 'destination_cidr', render: (d: string) => <span className="mono">{d}</span> },
            { title: 'Target', dataIndex: 'target_type', render: (t: string) => <Tag color={t === 'local' ? 'default' : 'blue'}>{TARGETS[t] ?? t}</Tag> },
            { title: 'Target ID', dataIndex: 'target_id', render: (t: string | null) => (t ? <span className="mono">{t}</span> : '—') },
            {
              title: '',
              key: 'actions',
              align: 'right',
              render: (_, route) =>
                route.target_type !== 'local' && (
                  <DeleteButton
                    size="small"
                    type="text"
                    what={`the route to ${route.destination_cidr}`}
                    consequence="Traffic for this destination stops going to its target."
                    onDelete={() => deleteRoute({ routeTableId: table.id, destination_cidr: route.destination_cidr }).unwrap()}
                    onDeleted={() => message.success('Route deleted')}
                  />
                ),
            },
          ]}
        />
      </Card>
      <Card className="section-card" title="Subnets associated with this table">
        <SubnetAssociations
          vpcId={table.vpc_id}
          subnetIds={table.subnet_ids}
          emptyText={table.is_main ? 'No explicit association: every subnet without a table of its own uses this main table.' : 'No subnet uses this table yet.'}
          associate={(subnetId) => associate({ routeTableId: table.id, subnet_id: subnetId }).unwrap()}
          disassociate={(subnetId) => disassociate({ routeTableId: table.id, subnetId }).unwrap()}
        />
      </Card>
      <RouteFormModal open={adding} table={table} onClose={() => setAdding(false)} onSaved={() => message.success('Route added')} />
    </>
  );
}
