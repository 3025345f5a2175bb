import { Card, Timeline, Typography } from 'antd';
import { useEffect } from 'react';
import { formatDate } from '../../components/format';
import { useGetInstanceHistoryQuery, type Instance } from './api';
import { InstanceStateTag } from './InstanceStateTag';

/**
 * Every state the instance went through, newest first, with the platform's reasons. The history is read from the
 * API, and read again whenever the live stream moves the instance to another state.
 */
export function StateHistory({ instanceId, state }: { instanceId: string; state: Instance['state'] }) {
  const { data, isLoading, isError, refetch } = useGetInstanceHistoryQuery(instanceId);
  useEffect(() => {
    void refetch();
  }, [state, refetch]);
  const events = data?.items ?? [];
  return (
    <Card className="section-card" title="State history" loading={isLoading}>
      {isError ? (
        <Typography.Text type="secondary">The history cannot be read now.</Typography.Text>
      ) : events.length === 0 ? (
        <Typography.Text type="secondary">No state recorded yet.</Typography.Text>
      ) : (
        <Timeline
          items={[...events].reverse().map((e, i) => ({
            key: `${e.created_at}-${i}`,
            children: (
              <>
                <InstanceStateTag state={e.state} /> <Typography.Text type="secondary">{formatDate(e.created_at)}</Typography.Text>
                {e.reason && <div style={{ fontSize: 12 }}>{e.reason}</div>}
              </>
            ),
          }))}
        />
      )}
    </Card>
  );
}
