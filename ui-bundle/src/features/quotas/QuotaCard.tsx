import { Card, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { isMissingRoute } from '../../api/errors';
import { CapacityBar } from '../../components/CapacityBar';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatMiB } from '../../components/format';
import { quotaName, useMyQuotasQuery } from './api';

/** Tenants: each limit with what they hold now, refreshed whenever the dashboard mounts. */
export function QuotaCard() {
  const { data, error, isLoading } = useMyQuotasQuery(undefined, { refetchOnMountOrArgChange: true });
  return (
    <Card title={<><SafetyCertificateOutlined /> Your quotas</>} className="full-height">
      {isMissingRoute(error) ? (
        <Typography.Text type="secondary">This platform has no quotas yet.</Typography.Text>
      ) : error && !data ? (
        <ErrorAlert error={error} />
      ) : isLoading || !data ? (
        <Typography.Text type="secondary">Loading…</Typography.Text>
      ) : (
        (data.quotas ?? []).map((q) => (
          <div key={q.resource} style={{ marginBottom: 10 }}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {quotaName(q.resource)}
            </Typography.Text>
            <CapacityBar
              label={quotaName(q.resource)}
              used={q.usage ?? 0}
              total={q.limit}
              format={q.resource === 'memory_mib' ? formatMiB : String}
            />
          </div>
        ))
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
        An administrator can raise them.
      </Typography.Paragraph>
    </Card>
  );
}
