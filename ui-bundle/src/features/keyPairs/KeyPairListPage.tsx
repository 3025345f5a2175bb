import { App, Button, Space } from 'antd';
import { ImportOutlined, KeyOutlined, PlusOutlined } from '@ant-design/icons';
import type { TableProps } from 'antd';
import { useState } from 'react';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../components/PagedTable';
import { EmptyState, NotServedYet } from '../../components/EmptyState';
import { DeleteButton } from '../../components/DeleteButton';
import { DateText, ResourceId } from '../../components/format';
import { useCursorPager } from '../../components/pagination';
import { useDeleteKeyPairMutation, useListKeyPairsQuery, type KeyPair } from './api';
import { KeyPairFormModal } from './KeyPairFormModal';
import { PrivateKeyModal } from './PrivateKeyModal';

type Shown = { name: string; fingerprint: string; private_key: string } | null;

/** Key pairs: generate one (its private key shown once), import a public key, delete. */
export function KeyPairListPage() {
  const pager = useCursorPager();
  const query = useListKeyPairsQuery({ limit: pager.limit, page_token: pager.pageToken });
  const [deleteKeyPair] = useDeleteKeyPairMutation();
  const [mode, setMode] = useState<'create' | 'import' | null>(null);
  // The private key lives only here, until the dialog showing it is closed.
  const [shown, setShown] = useState<Shown>(null);
  const { message } = App.useApp();

  const columns: TableProps<KeyPair>['columns'] = [
    { title: 'Name', dataIndex: 'name', render: (n: string) => <strong>{n}</strong> },
    { title: 'Key pair ID', dataIndex: 'id', render: (id: string) => <ResourceId id={id} /> },
    { title: 'Fingerprint', dataIndex: 'fingerprint', render: (f: string) => <span className="mono">{f}</span> },
    {
      title: 'Type',
      dataIndex: 'public_key',
      render: (k: string | undefined) => <span className="mono">{(k ?? '').split(' ')[0] || '—'}</span>,
    },
    { title: 'Created', dataIndex: 'created_at', render: (iso: string) => <DateText iso={iso} /> },
    {
      title: '',
      key: 'actions',
      align: 'right',
      render: (_, pair) => (
        <DeleteButton
          size="small"
          type="text"
          what={`key pair ${pair.name}`}
          consequence="Instances launched with it keep the key they have; new instances can no longer name it. This cannot be undone."
          onDelete={() => deleteKeyPair(pair.id).unwrap()}
          onDeleted={() => message.success(`Key pair ${pair.name} deleted`)}
        />
      ),
    },
  ];

  const actions = (
    <>
      <Button icon={<ImportOutlined />} onClick={() => setMode('import')}>
        Import public key
      </Button>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setMode('create')}>
        Create key pair
      </Button>
    </>
  );

  return (
    <>
      <PageHeader title="Key pairs" subtitle="SSH keys installed into the instances you launch, to log in as root." extra={actions} />
      <PagedTable<KeyPair>
        pager={pager}
        data={query.data}
        isLoading={query.isLoading}
        isFetching={query.isFetching}
        error={query.error}
        onRetry={query.refetch}
        columns={columns}
        rowKey="id"
        noun="key pairs"
        unavailable={<NotServedYet what="key pairs" icon={<KeyOutlined className="empty-icon" />} />}
        empty={
          <EmptyState
            icon={<KeyOutlined className="empty-icon" />}
            title="No key pairs yet"
            description="Create a key pair (the platform generates it and shows you the private key once), or import your own SSH public key."
            action={<Space>{actions}</Space>}
          />
        }
      />
      <KeyPairFormModal
        mode={mode}
        onClose={() => setMode(null)}
        onSaved={(pair) => {
          if (pair.private_key) {
            setShown({ name: pair.name, fingerprint: pair.fingerprint, private_key: pair.private_key });
          } else {
            message.success(`Key pair ${pair.name} imported`);
          }
        }}
      />
      <PrivateKeyModal pair={shown} onClose={() => setShown(null)} />
    </>
  );
}
