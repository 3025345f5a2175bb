import { Tag } from 'antd';
import { LoadingOutlined } from '@ant-design/icons';
import { TRANSITIONAL_STATES } from './api';

const COLORS: Record<string, string> = {
  pending: 'gold',
  running: 'green',
  stopping: 'gold',
  stopped: 'default',
  'shutting-down': 'orange',
  terminated: 'red',
};

/** An instance's state: colored, with a spinner while it moves to another. */
export function InstanceStateTag({ state }: { state: string | null | undefined }) {
  if (!state) {
    return null;
  }
  const moving = TRANSITIONAL_STATES.includes(state);
  return (
    <Tag color={COLORS[state] ?? 'blue'} icon={moving ? <LoadingOutlined spin aria-hidden /> : undefined} data-state={state}>
      {state}
    </Tag>
  );
}
