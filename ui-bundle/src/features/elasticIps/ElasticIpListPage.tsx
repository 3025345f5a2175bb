import { App, Button, Typography } from 'antd';
import { NodeIndexOutlined, PlusOutlined } from '@ant-design/icons';
import type { TableProps } from 'antd';
import type { ElasticIp } from '../../api/types';
import { isMissingRoute } from '../../api/errors';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../components/PagedTable';
import { EmptyState, NotServedYet } from '../../components/EmptyState';
import { DeleteButton } from '../../components/DeleteButton';
import { ErrorAlert } from '../../components/ErrorAlert';
import { DateText, ResourceId } from '../../components/format';
import { useCursorPager } from '../../components/pagination';
import { useAllocateElasticIpMutation, useListElasticIpsQuery, useReleaseElasticIpMutation } from './api';

export function ElasticIpListPage() {
  const pager = useCursorPager();
  const query = useListElasticIpsQuery({ limit: pager.limit, page_token: pager.pageToken });
  const [allocate, allocating] = useAllocateElasticIpMutation();
  const [release] = useReleaseElasticIpMutation();
  const { message } = App.useApp();

  const columns: TableProps<ElasticIp>['columns'] = [
    { title: 'Address', dataIndex: 'address', render: (a: string) => <Typography.Text copyable className="mono">{a}</Typography.Text> },
    { title: 'Allocation ID', dataIndex: 'id', render: (id: string) => <ResourceId id={id} /> },
    {
      title: 'Instance',
      dataIndex: 'instance_id',
      render: (id: string | null) => (id ? <ResourceId id={id} /> : <Typography.Text type="secondary">not associated</Typography.Text>),
    },
    { title: 'Allocated', dataIndex: 'created_at', render: (iso: string) => <DateText iso={iso} /> },
    {
      title: '',
      key: 'actions',
      align: 'right',
      render: (_, ip) => (
        <DeleteButton
          size="small"
          type="text"
          label="Release"
          what={`address ${ip.address}`}
          consequence="The address goes back to the platform's pool; you may not get it again. An associated address cannot be released."
          onDelete={() => release(ip.id).unwrap()}
          onDeleted={() => message.success(`${ip.address} released`)}
        />
      ),
    },
  ];

  const allocateButton = (
    <Button
      type="primary"
      icon={<PlusOutlined />}
      loading={allocating.isLoading}
      onClick={async () => {
        try {
          const ip = await allocate().unwrap();
          message.success(`${ip.address} allocated`);
        } catch {
          // shown on the page
        }
      }}
    >
      Allocate address
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Elastic IPs"
        subtitle="Public addresses from the platform's pool that stay yours until you release them, to associate with instances."
        extra={!isMissingRoute(query.error) && allocateButton}
      />
      {allocating.error && <ErrorAlert error={allocating.error} style={{ marginBottom: 12 }} />}
      <PagedTable<ElasticIp>
        pager={pager}
        data={query.data}
        isLoading={query.isLoading}
        isFetching={query.isFetching}
        error={query.error}
        onRetry={query.refetch}
        columns={columns}
        rowKey="id"
        noun="addresses"
        unavailable={<NotServedYet what="elastic IPs" icon={<NodeIndexOutlined className="empty-icon" />} />}
        empty={
          <EmptyState
            icon={<NodeIndexOutlined className="empty-icon" />}
            title="No elastic IPs"
            description="Allocate an address to give an instance a public IP that outlives it."
            action={allocateButton}
          />
        }
      />
    </>
  );
}
