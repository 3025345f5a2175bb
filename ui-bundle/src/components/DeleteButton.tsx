import { Button, Modal, Typography } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { useState, type ReactNode } from 'react';
import { ErrorAlert } from './ErrorAlert';
import type { AnyError } from '../api/errors';

interface Props {
  /** What is deleted, e.g. "VPC demo". */
  what: string;
  /** What deleting means, shown in the dialog. */
  consequence?: ReactNode;
  /** Deletes; rejects with the API's error (RTK Query's unwrap()). */
  onDelete: () => Promise<unknown>;
  onDeleted?: () => void;
  size?: 'small' | 'middle';
  type?: 'default' | 'text' | 'link';
  disabled?: boolean;
  label?: string;
}

/**
 * A delete button with a confirmation dialog. A refusal from the API (e.g. DependencyViolation: the
 * VPC still has subnets) is shown in the dialog in the API's words, so the user learns what to remove first.
 */
export function DeleteButton({ what, consequence, onDelete, onDeleted, size, type, disabled, label = 'Delete' }: Props) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AnyError>();

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onDelete();
      setOpen(false);
      onDeleted?.();
    } catch (e) {
      setError(e as AnyError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        danger
        size={size}
        type={type}
        icon={<DeleteOutlined />}
        disabled={disabled}
        onClick={() => {
          setError(undefined);
          setOpen(true);
        }}
      >
        {label}
      </Button>
      <Modal
        open={open}
        title={`${label} ${what}?`}
        okText={label}
        okButtonProps={{ danger: true, loading: busy }}
        onOk={confirm}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Typography.Paragraph>{consequence ?? 'This cannot be undone.'}</Typography.Paragraph>
        {error && <ErrorAlert error={error} title={label === 'Delete' ? 'It was not deleted' : `${label} failed`} />}
      </Modal>
    </>
  );
}
