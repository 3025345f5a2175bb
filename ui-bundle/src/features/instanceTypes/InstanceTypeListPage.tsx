import { AppstoreOutlined } from '@ant-design/icons';
import type { TableProps } from 'antd';
import type { InstanceType } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../components/PagedTable';
import { EmptyState } from '../../components/EmptyState';
import { formatMiB } from '../../components/format';
import { useCursorPager } from '../../components/pagination';
import { useListInstanceTypesQuery } from './api';

const price = new Intl.NumberFormat(undefined, { minimumFractionDigits: 4, maximumFractionDigits: 4 });

const columns: TableProps<InstanceType>['columns'] = [
  { title: 'Name', dataIndex: 'name', render: (n: string) => <strong className="mono">{n}</strong> },
  { title: 'vCPUs', dataIndex: 'cpu', align: 'right', render: (n: number) => <span className="tabular">{n}</span> },
  { title: 'Memory', dataIndex: 'memory', align: 'right', render: (m: number) => <span className="tabular">{formatMiB(m)}</span> },
  { title: 'Storage', dataIndex: 'storage', align: 'right', render: (g: number) => <span className="tabular">{g} GiB</span> },
  { title: 'Network', dataIndex: 'network' },
  { title: 'Price per hour', dataIndex: 'price', align: 'right', render: (p: number) => <span className="tabular">{price.format(p)}</span> },
];

export function InstanceTypeListPage() {
  const pager = useCursorPager();
  const query = useListInstanceTypesQuery({ limit: pager.limit, page_token: pager.pageToken });
  return (
    <>
      <PageHeader title="Instance types" subtitle="The sizes instances come in: virtual CPUs, memory, disk and network." />
      <PagedTable<InstanceType>
        pager={pager}
        data={query.data}
        isLoading={query.isLoading}
        isFetching={query.isFetching}
        error={query.error}
        onRetry={query.refetch}
        columns={columns}
        rowKey="name"
        noun="instance types"
        empty={<EmptyState icon={<AppstoreOutlined className="empty-icon" />} title="No instance types" description="The operator has not defined any size yet." />}
      />
    </>
  );
}
