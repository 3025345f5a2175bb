import { Tag, Tooltip, Typography } from 'antd';
import { Link } from 'react-router-dom';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(iso: string | null | undefined): string {
  if (!iso) {
    return '—';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

export function DateText({ iso }: { iso: string | null | undefined }) {
  return (
    <Tooltip title={iso ?? undefined}>
      <span>{formatDate(iso)}</span>
    </Tooltip>
  );
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null) {
    return '—';
  }
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function formatMiB(mib: number): string {
  return mib >= 1024 ? `${+(mib / 1024).toFixed(1)} GiB` : `${mib} MiB`;
}

/** A resource id: monospace, shortened, copyable whole. */
export function ResourceId({ id }: { id: string | null | undefined }) {
  if (!id) {
    return <Typography.Text type="secondary">—</Typography.Text>;
  }
  return (
    <Typography.Text className="resource-id" copyable={{ text: id, tooltips: ['Copy id', 'Copied'] }} title={id}>
      {id.slice(0, 8)}
    </Typography.Text>
  );
}

const STATE_COLORS: Record<string, string> = {
  available: 'green',
  running: 'green',
  attached: 'green',
  up: 'green',
  pending: 'gold',
  stopping: 'gold',
  'shutting-down': 'orange',
  draining: 'orange',
  stopped: 'default',
  detached: 'default',
  terminated: 'red',
  down: 'red',
};

export function StateTag({ state }: { state: string | null | undefined }) {
  if (!state) {
    return null;
  }
  return <Tag color={STATE_COLORS[state] ?? 'blue'}>{state}</Tag>;
}

/** A link to a resource's page, showing the start of its id. */
export function IdLink({ to, id }: { to: string; id: string | null | undefined }) {
  if (!id) {
    return <Typography.Text type="secondary">—</Typography.Text>;
  }
  return (
    <Link to={to} className="mono" title={id}>
      {id.slice(0, 8)}
    </Link>
  );
}

/** "12 s ago", "5 min ago", "3 h ago", "2 d ago"; the date itself past a week. */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) {
    return 'never';
  }
  const t = Date.parse(iso);
  if (Number.isNaN(t)) {
    return iso;
  }
  const s = Math.round((now - t) / 1000);
  if (s < 5) {
    return 'just now';
  }
  if (s < 60) {
    return `${s} s ago`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min ago`;
  }
  if (s < 86400) {
    return `${Math.floor(s / 3600)} h ago`;
  }
  if (s < 7 * 86400) {
    return `${Math.floor(s / 86400)} d ago`;
  }
  return formatDate(iso);
}
