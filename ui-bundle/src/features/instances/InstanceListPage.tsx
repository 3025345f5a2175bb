import { CloudServerOutlined } from '@ant-design/icons';
import type { TableProps } from 'antd';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../components/PagedTable';
import { ArrivesLater, EmptyState } from '../../components/EmptyState';
import { DateText, ResourceId, StateTag } from '../../components/format';
import { useCursorPager } from '../../components/pagination';
import { useListInstancesQuery, type Instance } from './api';

/**
 * Instances. The compute service is not in the API yet: until GET /instances exists this page says so.
 * When it lands, fill in the launch button and the row actions (start, stop, reboot, terminate) with
 * mutations in ./api.ts; the list, its paging and its states already work.
 */
const columns: TableProps<Instance>['columns'] = [
  { title: 'Name', dataIndex: 'name', render: (n: string) => <strong>{n}</strong> },
  { title: 'Instance ID', dataIndex: 'id', render: (id: string) => <ResourceId id={id} /> },
  { title: 'State', dataIndex: 'state', render: (s: string) => <StateTag state={s} /> },
  { title: 'Type', dataIndex: 'instance_type' },
  { title: 'Private IP', dataIndex: 'private_ip', render: (ip: string) => <span className="mono">{ip}</span> },
  { title: 'Public IP', dataIndex: 'public_ip', render: (ip: string | null) => <span className="mono">{ip ?? '—'}</span> },
  { title: 'Launched', dataIndex: 'created_at', render: (iso: string) => <DateText iso={iso} /> },
];

export function InstanceListPage() {
  const pager = useCursorPager();
  const query = useListInstancesQuery({ limit: pager.limit, page_token: pager.pageToken });
  return (
    <>
      <PageHeader title="Instances" subtitle="Virtual machines and containers running in your subnets." />
      <PagedTable<Instance>
        pager={pager}
        data={query.data}
        isLoading={query.isLoading}
        isFetching={query.isFetching}
        error={query.error}
        onRetry={query.refetch}
        columns={columns}
        rowKey="id"
        noun="instances"
        unavailable={<ArrivesLater what="Instances" service="compute service" icon={<CloudServerOutlined className="empty-icon" />} />}
        empty={
          <EmptyState
            icon={<CloudServerOutlined className="empty-icon" />}
            title="No instances yet"
            description="Launch an instance into one of your subnets to run a virtual machine or a container."
          />
        }
      />
    </>
  );
}
