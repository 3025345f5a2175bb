import { Badge, Tooltip } from 'antd';
import { useAppSelector } from '../app/hooks';
import { selectLiveStatus } from './liveSlice';

const TEXT = {
  open: ['success', 'Live', 'States change here as they happen (the platform pushes every change).'],
  connecting: ['processing', 'Connecting', 'Connecting to the platform for live updates…'],
  reconnecting: ['warning', 'Reconnecting', 'The live connection dropped; reconnecting. The page catches up once it is back.'],
  off: ['default', 'Not live', 'Live updates are off; reload to see changes.'],
} as const;

/** Whether the page follows changes live (the event stream is open). */
export function LiveBadge() {
  const status = useAppSelector(selectLiveStatus);
  const [badge, label, tip] = TEXT[status];
  return (
    <Tooltip title={tip}>
      <span className="live-badge">
        <Badge status={badge} text={label} />
      </span>
    </Tooltip>
  );
}
