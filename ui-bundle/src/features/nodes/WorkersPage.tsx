import { App, Button, Space, Tag, Tooltip, Typography } from 'antd';
import { DeploymentUnitOutlined } from '@ant-design/icons';
import type { TableProps } from 'antd';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../components/PagedTable';
import { EmptyState, NotServedYet } from '../../components/EmptyState';
import { CapacityBar } from '../../components/CapacityBar';
import { formatMiB, formatRelative, ResourceId, StateTag } from '../../components/format';
import { useCursorPager } from '../../components/pagination';
import { useNow } from '../../components/useNow';
import { toConsoleError } from '../../api/errors';
import { useDrainNodeMutation, useListNodesQuery, type WorkerNode } from './api';

function DrainButton({ node }: { node: WorkerNode }) {
  const [drain, state] = useDrainNodeMutation();
  const { message, modal } = App.useApp();
  const draining = node.state === 'draining';
  const run = async () => {
    try {
      await drain({ id: node.id, drain: !draining }).unwrap();
      message.success(draining ? `${node.hostname} takes new instances again` : `${node.hostname} takes no new instances`);
    } catch (e) {
      message.error(toConsoleError(e as never)?.message ?? 'It failed');
    }
  };
  return (
    <Button
      size="small"
      loading={state.isLoading}
      onClick={() =>
        draining
          ? void run()
          : modal.confirm({
              title: `Drain ${node.hostname}?`,
              content: 'No new instance is placed on this worker; the instances it runs keep running.',
              okText: 'Drain',
              onOk: run,
            })
      }
    >
      {draining ? 'Undrain' : 'Drain'}
    </Button>
  );
}

/** Worker nodes (administrators): state, capacity in use, instances, heartbeat, capabilities, drain. */
export function WorkersPage() {
  const pager = useCursorPager();
  const query = useListNodesQuery({ limit: pager.limit, page_token: pager.pageToken });
  const now = useNow(5000);

  const columns: TableProps<WorkerNode>['columns'] = [
    {
      title: 'Hostname',
      dataIndex: 'hostname',
      render: (h: string, n) => (
        <>
          <strong>{h}</strong>
          <div>
            <Typography.Text type="secondary" className="mono" style={{ fontSize: 12 }}>
              {n.address}
            </Typography.Text>
          </div>
        </>
      ),
    },
    { title: 'Node ID', dataIndex: 'id', render: (id: string) => <ResourceId id={id} /> },
    { title: 'State', dataIndex: 'state', render: (s: string) => <StateTag state={s} /> },
    {
      title: 'vCPUs',
      key: 'cpu',
      width: 180,
      render: (_, n) => <CapacityBar label="vCPUs" used={n.cpu_allocated} total={n.cpu_total} />,
    },
    {
      title: 'Memory',
      key: 'memory',
      width: 200,
      render: (_, n) => <CapacityBar label="Memory" used={n.memory_allocated_mib} total={n.memory_total_mib} format={formatMiB} />,
    },
    { title: 'Instances', dataIndex: 'instance_count', align: 'right', render: (c: number) => <span className="tabular">{c}</span> },
    {
      title: 'Last heartbeat',
      dataIndex: 'last_heartbeat_at',
      render: (iso: string | null) => (
        <Tooltip title={iso ?? 'No heartbeat yet'}>
          <span>{formatRelative(iso, now)}</span>
        </Tooltip>
      ),
    },
    {
      title: 'Capabilities',
      dataIndex: 'capabilities',
      render: (caps: string[]) => (
        <Space size={[4, 4]} wrap>
          {caps.map((c) => (
            <Tag key={c}>{c}</Tag>
          ))}
        </Space>
      ),
    },
    { title: '', key: 'actions', align: 'right', render: (_, n) => <DrainButton node={n} /> },
  ];

  return (
    <>
      <PageHeader title="Workers" subtitle="The hosts that run instances: their state, the capacity in use and what they can run." />
      <PagedTable<WorkerNode>
        pager={pager}
        data={query.data}
        isLoading={query.isLoading}
        isFetching={query.isFetching}
        error={query.error}
        onRetry={query.refetch}
        columns={columns}
        rowKey="id"
        noun="workers"
        unavailable={<NotServedYet what="worker nodes" icon={<DeploymentUnitOutlined className="empty-icon" />} />}
        empty={
          <EmptyState
            icon={<DeploymentUnitOutlined className="empty-icon" />}
            title="No workers yet"
            description="A worker appears here when its agent sends its first heartbeat to the controller."
          />
        }
      />
    </>
  );
}
