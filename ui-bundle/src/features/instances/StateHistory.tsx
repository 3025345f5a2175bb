import { Card, Timeline, Typography } from 'antd';
import { useAppSelector } from '../../app/hooks';
import { formatDate } from '../../components/format';
import { selectStateHistory } from '../../live/liveSlice';
import { InstanceStateTag } from './InstanceStateTag';

/** The states this instance was seen in since the console was opened (the API keeps no history route yet). */
export function StateHistory({ instanceId }: { instanceId: string }) {
  const history = useAppSelector(selectStateHistory(instanceId));
  return (
    <Card className="section-card" title="State history" extra={<Typography.Text type="secondary">seen in this session</Typography.Text>}>
      {history.length === 0 ? (
        <Typography.Text type="secondary">No state seen yet.</Typography.Text>
      ) : (
        <Timeline
          items={[...history].reverse().map((h, i) => ({
            key: `${h.at}-${i}`,
            children: (
              <>
                <InstanceStateTag state={h.state} /> <Typography.Text type="secondary">{formatDate(h.at)}</Typography.Text>
                {h.reason && <div style={{ fontSize: 12 }}>{h.reason}</div>}
              </>
            ),
          }))}
        />
      )}
    </Card>
  );
}
