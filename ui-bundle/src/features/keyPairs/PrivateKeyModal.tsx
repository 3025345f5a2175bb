import { Alert, Button, Input, Modal, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';

/** Saves text as a file through a temporary object URL. */
export function downloadText(fileName: string, text: string): void {
  const blob = new Blob([text], { type: 'application/x-pem-file' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function pemFileName(name: string): string {
  return `${name.replace(/[^A-Za-z0-9._-]+/g, '_') || 'key'}.pem`;
}

interface Props {
  /** The pair just generated, with its private key; null when there is none to show. */
  pair: { name: string; fingerprint: string; private_key: string } | null;
  /** Closing forgets the key for good. */
  onClose: () => void;
}

/** Shows a generated private key, the one and only time the platform hands it out. */
export function PrivateKeyModal({ pair, onClose }: Props) {
  return (
    <Modal
      open={!!pair}
      title={pair ? `Private key of ${pair.name}` : ''}
      onCancel={onClose}
      maskClosable={false}
      width={680}
      destroyOnHidden
      footer={[
        <Button
          key="download"
          type="primary"
          icon={<DownloadOutlined />}
          onClick={() => pair && downloadText(pemFileName(pair.name), pair.private_key)}
        >
          Download .pem
        </Button>,
        <Button key="close" onClick={onClose}>
          I have saved it
        </Button>,
      ]}
    >
      {pair && (
        <>
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            message="This is the only time the private key is shown"
            description="The platform keeps no copy: download it or copy it now. It cannot be shown again; if you lose it, create a new key pair."
          />
          <Typography.Paragraph type="secondary">
            Fingerprint <span className="mono">{pair.fingerprint}</span>. Log in with <span className="mono">ssh -i {pemFileName(pair.name)} root@…</span>{' '}
            (after <span className="mono">chmod 600</span>).
          </Typography.Paragraph>
          <Input.TextArea aria-label="Private key" className="mono" readOnly value={pair.private_key} autoSize={{ minRows: 6, maxRows: 14 }} />
          <Typography.Paragraph copyable={{ text: pair.private_key, tooltips: ['Copy the private key', 'Copied'] }} style={{ marginTop: 8 }}>
            Copy to the clipboard
          </Typography.Paragraph>
        </>
      )}
    </Modal>
  );
}
