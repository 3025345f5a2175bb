import { Alert, Form, Input, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { computeError, type ComputeError } from '../instances/errors';
import { useAppDispatch } from '../../app/hooks';
import { keyPairsApi, type KeyPair } from './api';

interface Values {
  name: string;
  public_key?: string;
}

interface Props {
  /** create: the platform generates the pair; import: the user gives the public key. */
  mode: 'create' | 'import' | null;
  onClose: () => void;
  /** The new pair; a generated one carries its private key, to show once. */
  onSaved: (pair: KeyPair) => void;
}

/** Creates (generates) or imports a key pair. */
export function KeyPairFormModal({ mode, onClose, onSaved }: Props) {
  const [form] = Form.useForm<Values>();
  const dispatch = useAppDispatch();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<ComputeError>();
  useEffect(() => {
    if (mode) {
      setFormError(undefined);
    }
  }, [mode]);
  const importing = mode === 'import';

  const submit = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setFormError(undefined);
    try {
      const body = importing ? { name: values.name.trim(), public_key: (values.public_key ?? '').trim() } : { name: values.name.trim() };
      setBusy(true);
      // Untracked: the answer may hold the private key, which must not stay in the store.
      const pair = await dispatch(keyPairsApi.endpoints.createKeyPair.initiate(body, { track: false })).unwrap();
      onSaved(pair);
      onClose();
    } catch (error) {
      const e = computeError(error as never);
      if (e?.field === 'name' || (e?.field === 'public_key' && importing)) {
        form.setFields([{ name: e.field, errors: [e.message] }]);
      } else {
        setFormError(e);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!mode}
      title={importing ? 'Import key pair' : 'Create key pair'}
      okText={importing ? 'Import' : 'Create key pair'}
      onOk={submit}
      confirmLoading={busy}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" preserve={false} onFinish={submit}>
        <Form.Item
          label="Name"
          name="name"
          rules={[
            { required: true, whitespace: true, message: 'Give the key pair a name' },
            { max: 255, message: 'name must be at most 255 characters long' },
          ]}
          extra="Instances name their key pair by this name."
        >
          <Input placeholder="e.g. laptop" autoFocus />
        </Form.Item>
        {importing ? (
          <Form.Item
            label="Public key"
            name="public_key"
            rules={[{ required: true, whitespace: true, message: 'Paste your OpenSSH public key' }]}
            extra="The contents of e.g. ~/.ssh/id_ed25519.pub: ed25519, ECDSA, or RSA of 2048 bits or more."
          >
            <Input.TextArea className="mono" autoSize={{ minRows: 3, maxRows: 8 }} placeholder="ssh-ed25519 AAAA… you@host" />
          </Form.Item>
        ) : (
          <Alert
            type="info"
            showIcon
            message="The platform generates an RSA key pair and shows you its private key once. Keep it safe: it cannot be shown again."
          />
        )}
        {formError && <Alert style={{ marginTop: 12 }} type="error" showIcon message={formError.message} description={formError.detail} role="alert" />}
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
