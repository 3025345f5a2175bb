import { Alert, Form, Input, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { toConsoleError, type ConsoleError } from '../api/errors';

interface Props {
  open: boolean;
  title: string;
  okText: string;
  placeholder?: string;
  onClose: () => void;
  /** Creates the thing with the optional name; rejects with the API's error. */
  onCreate: (name: string | undefined) => Promise<unknown>;
}

/** Creates something that needs only an optional name (a route table, a network ACL). */
export function NameModal({ open, title, okText, placeholder, onClose, onCreate }: Props) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ConsoleError>();
  useEffect(() => {
    if (open) {
      setName('');
      setError(undefined);
    }
  }, [open]);
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onCreate(name.trim() || undefined);
      onClose();
    } catch (e) {
      setError(toConsoleError(e as never));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={title} okText={okText} onOk={submit} confirmLoading={busy} onCancel={onClose} destroyOnHidden>
      <Form layout="vertical" onFinish={submit}>
        <Form.Item label="Name" extra="Optional." validateStatus={error ? 'error' : undefined} help={error?.message}>
          <Input value={name} onChange={(e) => setName(e.target.value)} placeholder={placeholder} autoFocus />
        </Form.Item>
      </Form>
      {error && !error.message && <Alert type="error" message="It was not created" />}
    </Modal>
  );
}
