import { Button, Flex, Select, Typography } from 'antd';
import { CloudServerOutlined, PlusOutlined } from '@ant-design/icons';
import type { TableProps } from 'antd';
import { useEffect } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../components/PagedTable';
import { EmptyState, NotServedYet } from '../../components/EmptyState';
import { DateText, ResourceId } from '../../components/format';
import { useCursorPager } from '../../components/pagination';
import { LiveBadge } from '../../live/LiveBadge';
import { INSTANCE_STATES, useListInstancesQuery, type Instance } from './api';
import { InstanceStateTag } from './InstanceStateTag';
import { useInstanceLookups, type InstanceLookups } from './lookups';

const dash = <Typography.Text type="secondary">—</Typography.Text>;

function instanceColumns(lookups: InstanceLookups): TableProps<Instance>['columns'] {
  return [
    {
      title: 'Name',
      dataIndex: 'name',
      render: (name: string, i) => (
        <Link to={`/instances/${i.id}`} className="strong-link">
          {name || i.id.slice(0, 8)}
        </Link>
      ),
    },
    { title: 'Instance ID', dataIndex: 'id', render: (id: string) => <ResourceId id={id} /> },
    { title: 'State', dataIndex: 'state', render: (s: string) => <InstanceStateTag state={s} /> },
    {
      title: 'Type',
      dataIndex: 'instance_type',
      render: (t: string) => <span className="mono">{t}</span>,
    },
    { title: 'Private IP', dataIndex: 'private_ip', render: (ip: string | null) => (ip ? <span className="mono">{ip}</span> : dash) },
    { title: 'Public IP', dataIndex: 'public_ip', render: (ip: string | null) => (ip ? <span className="mono">{ip}</span> : dash) },
    {
      title: 'VPC',
      dataIndex: 'vpc_id',
      render: (id: string | null) =>
        id ? (
          <Link to={`/vpcs/${id}`} title={id}>
            {lookups.vpcs.get(id)?.name ?? <span className="mono">{id.slice(0, 8)}</span>}
          </Link>
        ) : (
          dash
        ),
    },
    {
      title: 'Subnet',
      dataIndex: 'subnet_id',
      render: (id: string | null, i) => {
        if (!id) {
          return dash;
        }
        const subnet = lookups.subnets.get(id);
        const vpc = subnet?.vpc_id ?? i.vpc_id;
        const label = subnet ? `${subnet.name} (${subnet.cidr_block})` : <span className="mono">{id.slice(0, 8)}</span>;
        return vpc ? (
          <Link to={`/vpcs/${vpc}`} title={id}>
            {label}
          </Link>
        ) : (
          label
        );
      },
    },
    { title: 'Launched', dataIndex: 'created_at', render: (iso: string) => <DateText iso={iso} /> },
  ];
}

/** Instances: filters by VPC and state (kept in the address), paging, states that change live. */
export function InstanceListPage() {
  const [params, setParams] = useSearchParams();
  const vpcId = params.get('vpc_id') ?? undefined;
  const state = params.get('state') ?? undefined;
  const pager = useCursorPager();
  const { reset } = pager;
  useEffect(() => reset(), [vpcId, state, reset]);
  const query = useListInstancesQuery({ limit: pager.limit, page_token: pager.pageToken, vpc_id: vpcId, state });
  const lookups = useInstanceLookups();
  const navigate = useNavigate();
  const filtered = !!vpcId || !!state;

  const setFilter = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) {
      next.set(name, value);
    } else {
      next.delete(name);
    }
    setParams(next, { replace: true });
  };

  const launch = (
    <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(`/instances/launch${vpcId ? `?vpc_id=${vpcId}` : ''}`)}>
      Launch instance
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Instances"
        subtitle="Virtual machines and containers running in your subnets. States change here as they happen."
        extra={
          <>
            <LiveBadge />
            {launch}
          </>
        }
      />
      <Flex gap={12} wrap="wrap" align="center" style={{ marginBottom: 12 }}>
        <Select
          aria-label="Filter by VPC"
          allowClear
          placeholder="All VPCs"
          style={{ minWidth: 220 }}
          value={vpcId}
          onChange={(v?: string) => setFilter('vpc_id', v)}
          options={lookups.vpcList.map((v) => ({ value: v.id, label: `${v.name} (${v.cidr_block})` }))}
        />
        <Select
          aria-label="Filter by state"
          allowClear
          placeholder="All states"
          style={{ minWidth: 160 }}
          value={state}
          onChange={(v?: string) => setFilter('state', v)}
          options={INSTANCE_STATES.map((s) => ({ value: s, label: s }))}
        />
      </Flex>
      <PagedTable<Instance>
        pager={pager}
        data={query.data}
        isLoading={query.isLoading}
        isFetching={query.isFetching}
        error={query.error}
        onRetry={query.refetch}
        columns={instanceColumns(lookups)}
        rowKey="id"
        noun="instances"
        unavailable={<NotServedYet what="instances" icon={<CloudServerOutlined className="empty-icon" />} />}
        empty={
          filtered ? (
            <EmptyState
              icon={<CloudServerOutlined className="empty-icon" />}
              title="No instances match"
              description="No instance is in this VPC or state. Clear the filters to see all your instances."
              action={<Button onClick={() => setParams(new URLSearchParams(), { replace: true })}>Clear filters</Button>}
            />
          ) : (
            <EmptyState
              icon={<CloudServerOutlined className="empty-icon" />}
              title="No instances yet"
              description="Launch an instance into one of your subnets to run a container or a virtual machine from an image."
              action={launch}
            />
          )
        }
      />
    </>
  );
}
