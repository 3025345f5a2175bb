import { Descriptions, Typography } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import type { Vpc } from '../../api/types';
import { isMissingRoute } from '../../api/errors';
import { ErrorAlert } from '../../components/ErrorAlert';
import { EmptyState, NotServedYet } from '../../components/EmptyState';
import { PageLoading } from '../../components/PageLoading';
import { DateText, StateTag } from '../../components/format';
import { useListInternetGatewaysQuery } from './api';

/** The internet gateway attached to a VPC (at most one). */
export function InternetGatewayPanel({ vpc }: { vpc: Vpc }) {
  const { data, error, isLoading, refetch } = useListInternetGatewaysQuery({ limit: 1000 });
  if (isLoading) {
    return <PageLoading />;
  }
  if (isMissingRoute(error)) {
    return <NotServedYet what="internet gateways" icon={<GlobalOutlined className="empty-icon" />} />;
  }
  if (error) {
    return <ErrorAlert error={error} onRetry={refetch} />;
  }
  const gateway = data?.items.find((g) => g.vpc_id === vpc.id);
  if (!gateway) {
    return (
      <EmptyState
        icon={<GlobalOutlined className="empty-icon" />}
        title="No internet gateway attached"
        description={
          <>
            Without one, instances of this VPC cannot reach the internet. Create a gateway and attach it on the{' '}
            <Link to="/internet-gateways">Internet gateways</Link> page.
          </>
        }
      />
    );
  }
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, sm: 2, lg: 3 }}
      items={[
        { key: 'name', label: 'Name', children: gateway.name || '—' },
        { key: 'id', label: 'Gateway ID', children: <Typography.Text copyable className="mono">{gateway.id}</Typography.Text> },
        { key: 'state', label: 'State', children: <StateTag state={gateway.state} /> },
        { key: 'created', label: 'Created', children: <DateText iso={gateway.created_at} /> },
      ]}
    />
  );
}
