import { Progress, Tooltip } from 'antd';

interface Props {
  used: number;
  total: number;
  /** Formats an amount, e.g. "4 vCPUs" or "2 GiB". */
  format?: (n: number) => string;
  label?: string;
}

/** How much of a capacity is allocated: a bar, "used / total" and the share. */
export function CapacityBar({ used, total, format = String, label }: Props) {
  const percent = total > 0 ? Math.round((used / total) * 100) : 0;
  const status = percent >= 90 ? 'exception' : 'normal';
  const text = `${format(used)} / ${format(total)}`;
  return (
    <Tooltip title={`${label ? `${label}: ` : ''}${text} allocated (${percent}%)`}>
      <div className="capacity-bar" aria-label={`${label ?? 'Capacity'} ${text}`}>
        <Progress percent={percent} size="small" status={status} showInfo={false} />
        <span className="capacity-text tabular">{text}</span>
      </div>
    </Tooltip>
  );
}
