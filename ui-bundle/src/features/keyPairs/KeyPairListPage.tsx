import { KeyOutlined } from '@ant-design/icons';
import type { TableProps } from 'antd';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../components/PagedTable';
import { ArrivesLater, EmptyState } from '../../components/EmptyState';
import { DateText, ResourceId } from '../../components/format';
import { useCursorPager } from '../../components/pagination';
import { useListKeyPairsQuery, type KeyPair } from './api';

/**
 * Key pairs. Not in the API yet: until GET /key-pairs exists this page says so. When it lands, add the
 * import and delete actions with mutations in ./api.ts.
 */
const columns: TableProps<KeyPair>['columns'] = [
  { title: 'Name', dataIndex: 'name', render: (n: string) => <strong>{n}</strong> },
  { title: 'Key pair ID', dataIndex: 'id', render: (id: string) => <ResourceId id={id} /> },
  { title: 'Fingerprint', dataIndex: 'fingerprint', render: (f: string) => <span className="mono">{f}</span> },
  { title: 'Created', dataIndex: 'created_at', render: (iso: string) => <DateText iso={iso} /> },
];

export function KeyPairListPage() {
  const pager = useCursorPager();
  const query = useListKeyPairsQuery({ limit: pager.limit, page_token: pager.pageToken });
  return (
    <>
      <PageHeader title="Key pairs" subtitle="SSH public keys installed into the instances you launch." />
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
        unavailable={<ArrivesLater what="Key pairs" service="compute service" icon={<KeyOutlined className="empty-icon" />} />}
        empty={
          <EmptyState
            icon={<KeyOutlined className="empty-icon" />}
            title="No key pairs yet"
            description="Import your SSH public key to log in to the instances you launch."
          />
        }
      />
    </>
  );
}
