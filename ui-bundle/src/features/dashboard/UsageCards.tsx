import { Card, Flex, Space, Statistic, Tag, Typography } from 'antd';
import { AreaChartOutlined, DeploymentUnitOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import type { WorkerNode } from '../../api/types';
import { isMissingRoute, type AnyError } from '../../api/errors';
import { CapacityBar } from '../../components/CapacityBar';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Sparkline } from '../../components/Sparkline';
import { formatMiB } from '../../components/format';
import { totalCapacity } from '../nodes/api';
import type { Sample } from './samples';
import type { Usage } from './usage';

/** Administrators: the workers' capacity in use, taken together. */
export function WorkerCapacityCard({ nodes, error, isLoading }: { nodes: WorkerNode[] | undefined; error: AnyError; isLoading: boolean }) {
  const c = totalCapacity(nodes ?? []);
  return (
    <Card title={<><DeploymentUnitOutlined /> Workers</>} className="full-height" extra={<Link to="/admin/workers">All workers</Link>}>
      {isMissingRoute(error) ? (
        <Typography.Text type="secondary">This platform does not serve worker nodes yet.</Typography.Text>
      ) : error && !nodes ? (
        <ErrorAlert error={error} />
      ) : isLoading ? (
        <Typography.Text type="secondary">Loading…</Typography.Text>
      ) : (
        <>
          <Space size={4} wrap style={{ marginBottom: 8 }}>
            <Tag color="green">{c.up} up</Tag>
            {c.draining > 0 && <Tag color="orange">{c.draining} draining</Tag>}
            {c.down > 0 && <Tag color="red">{c.down} down</Tag>}
            <Tag>{c.instances} instances</Tag>
          </Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            vCPUs allocated
          </Typography.Text>
          <CapacityBar label="vCPUs" used={c.cpuAllocated} total={c.cpuTotal} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            Memory allocated
          </Typography.Text>
          <CapacityBar label="Memory" used={c.memoryAllocatedMib} total={c.memoryTotalMib} format={formatMiB} />
        </>
      )}
    </Card>
  );
}

/** Tenants: what their instances hold. */
export function YourUsageCard({ usage }: { usage: Usage }) {
  return (
    <Card title={<><DeploymentUnitOutlined /> Your usage</>} className="full-height">
      <Flex gap={24} wrap="wrap">
        <Statistic title="Running" value={usage.running} />
        <Statistic title="vCPUs" value={usage.cpu} />
        <Statistic title="Memory" value={formatMiB(usage.memoryMib)} />
      </Flex>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
        Of instances that run or are about to.
      </Typography.Paragraph>
    </Card>
  );
}

function Trend({ label, values, format = String, color }: { label: string; values: number[]; format?: (n: number) => string; color?: string }) {
  const last = values[values.length - 1];
  return (
    <div className="trend">
      <Flex justify="space-between">
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {label}
        </Typography.Text>
        <span className="tabular">{last === undefined ? '—' : format(last)}</span>
      </Flex>
      <Sparkline values={values} label={label} color={color} width={200} />
    </div>
  );
}

/** Instances and allocated vCPUs and memory over the last ten minutes, sampled while the dashboard is open. */
export function UsageChartCard({ samples, admin }: { samples: Sample[]; admin: boolean }) {
  return (
    <Card title={<><AreaChartOutlined /> Over time</>} className="full-height">
      <Trend label="Instances" values={samples.map((s) => s.instances)} />
      <Trend label={admin ? 'vCPUs allocated (all workers)' : 'vCPUs in use'} values={samples.map((s) => s.cpu)} color="#12b76a" />
      <Trend
        label={admin ? 'Memory allocated (all workers)' : 'Memory in use'}
        values={samples.map((s) => s.memoryMib)}
        format={formatMiB}
        color="#f79009"
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        Every 15 s while this page is open ({samples.length} of 40 samples).
      </Typography.Text>
    </Card>
  );
}
