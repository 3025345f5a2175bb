import { Alert, Button, Modal, Space, Typography } from 'antd';
import { PauseCircleOutlined, PlayCircleOutlined, PoweroffOutlined, RedoOutlined } from '@ant-design/icons';
import { useState, type ReactNode } from 'react';
import type { AnyError } from '../../api/errors';
import { allowedActions, useInstanceActionMutation, useTerminateInstanceMutation, type Instance } from './api';
import { computeError } from './errors';

interface ActionProps {
  label: string;
  icon: ReactNode;
  enabled: boolean;
  danger?: boolean;
  /** Asks first, saying this, when set. */
  confirm?: ReactNode;
  run: () => Promise<unknown>;
  onError: (error: AnyError) => void;
  why: string;
}

function ActionButton({ label, icon, enabled, danger, confirm, run, onError, why }: ActionProps) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AnyError>();
  const go = async (inDialog: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      await run();
      setOpen(false);
    } catch (e) {
      if (inDialog) {
        setError(e as AnyError);
      } else {
        onError(e as AnyError);
      }
    } finally {
      setBusy(false);
    }
  };
  const e = computeError(error);
  return (
    <>
      <Button
        icon={icon}
        danger={danger}
        disabled={!enabled}
        title={enabled ? undefined : why}
        loading={busy && !confirm}
        onClick={() => (confirm ? (setError(undefined), setOpen(true)) : void go(false))}
      >
        {label}
      </Button>
      {confirm && (
        <Modal
          open={open}
          title={`${label} this instance?`}
          okText={label}
          okButtonProps={{ danger, loading: busy }}
          onOk={() => go(true)}
          onCancel={() => setOpen(false)}
          destroyOnHidden
        >
          <Typography.Paragraph>{confirm}</Typography.Paragraph>
          {e && <Alert type="error" showIcon message={`${label} failed`} description={e.message} />}
        </Modal>
      )}
    </>
  );
}

/** Start, stop, restart and terminate, each enabled only in the states where it makes sense. */
export function InstanceActions({ instance, onError }: { instance: Instance; onError: (error: AnyError) => void }) {
  const [act] = useInstanceActionMutation();
  const [terminate] = useTerminateInstanceMutation();
  const allowed = allowedActions(instance.state);
  const name = instance.name || instance.id.slice(0, 8);
  return (
    <Space wrap>
      <ActionButton
        label="Start"
        icon={<PlayCircleOutlined />}
        enabled={allowed.start}
        why="Only a stopped instance can be started."
        run={() => act({ id: instance.id, action: 'start' }).unwrap()}
        onError={onError}
      />
      <ActionButton
        label="Stop"
        icon={<PauseCircleOutlined />}
        enabled={allowed.stop}
        why="Only a running instance can be stopped."
        confirm={`${name} is shut down (gracefully, then forced). It keeps its private address and can be started again.`}
        run={() => act({ id: instance.id, action: 'stop' }).unwrap()}
        onError={onError}
      />
      <ActionButton
        label="Restart"
        icon={<RedoOutlined />}
        enabled={allowed.restart}
        why="Only a running instance can be restarted."
        run={() => act({ id: instance.id, action: 'restart' }).unwrap()}
        onError={onError}
      />
      <ActionButton
        label="Terminate"
        icon={<PoweroffOutlined />}
        danger
        enabled={allowed.terminate}
        why="The instance is already being terminated."
        confirm={`${name} is destroyed with its disk, and its addresses are released. This cannot be undone.`}
        run={() => terminate(instance.id).unwrap()}
        onError={onError}
      />
    </Space>
  );
}
