import { Card, Descriptions, Result, Table, Tag, Typography, Button } from 'antd';
import { Link, useParams } from 'react-router-dom';
import type { Route } from '../../api/types';
import { isMissingRoute, toConsoleError } from '../../api/errors';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoading } from '../../components/PageLoading';
import { NotServedYet } from '../../components/EmptyState';
import { DateText, IdLink } from '../../components/format';
import { useGetRouteTableQuery } from './api';

export function RouteTableDetailPage() {
  const { id = '' } = useParams();
  const { data: table, error, isLoading, refetch } = useGetRouteTableQuery(id);

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
      <Card className="section-card" title="Routes">
        <Table<Route>
          rowKey="destination_cidr"
          size="small"
          pagination={false}
          dataSource={table.routes}
          columns={[
            { title: 'Destination', dataIndex: 'destination_cidr', render: (d: string) => <span className="mono">{d}</span> },
            { title: 'Target', dataIndex: 'target_type', render: (t: string) => <Tag>{t}</Tag> },
            { title: 'Target ID', dataIndex: 'target_id', render: (t: string | null) => (t ? <span className="mono">{t}</span> : '—') },
          ]}
        />
      </Card>
      <Card className="section-card" title="Explicitly associated subnets">
        {table.subnet_ids.length === 0 ? (
          <Typography.Text type="secondary">
            {table.is_main ? 'Subnets without an association of their own use this main table.' : 'No subnet uses this table yet.'}
          </Typography.Text>
        ) : (
          table.subnet_ids.map((s) => (
            <Tag key={s} className="mono">
              {s}
            </Tag>
          ))
        )}
      </Card>
    </>
  );
}
