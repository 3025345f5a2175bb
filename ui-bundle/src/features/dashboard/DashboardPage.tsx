import { Card, Col, Flex, Row, Skeleton, Statistic, Steps, Tag, Typography } from 'antd';
import {
  ApartmentOutlined,
  CloudServerOutlined,
  PartitionOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons';
import { useMemo, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { Page } from '../../api/types';
import { isMissingRoute, type AnyError } from '../../api/errors';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { StateTag } from '../../components/format';
import { useAppSelector } from '../../app/hooks';
import { useListVpcsQuery } from '../vpcs/api';
import { useListSubnetsQuery } from '../subnets/api';
import { useListSecurityGroupsQuery } from '../securityGroups/api';
import { INSTANCE_STATES, useListInstancesQuery } from '../instances/api';
import { useListInstanceTypesQuery } from '../instanceTypes/api';
import { totalCapacity, useListNodesQuery } from '../nodes/api';
import { selectIsAdmin } from '../../auth/authSlice';
import { SAMPLE_INTERVAL_MS, useSamples } from './samples';
import { instanceUsage } from './usage';
import { UsageChartCard, WorkerCapacityCard, YourUsageCard } from './UsageCards';
import { QuotaCard } from '../quotas/QuotaCard';

/** Counting by listing: one page of up to 1000 rows, "1000+" when there are more. */
const COUNT_LIMIT = 1000;

function countOf(page: Page<unknown> | undefined): string {
  if (!page) {
    return '—';
  }
  return page.next_page_token ? `${page.items.length}+` : String(page.items.length);
}

interface CountCardProps {
  title: string;
  icon: ReactNode;
  to: string;
  page: Page<unknown> | undefined;
  isLoading: boolean;
  error: AnyError;
  /** What the card says when the platform does not serve this resource yet. */
  notServed: string;
  footer?: ReactNode;
}

function CountCard({ title, icon, to, page, isLoading, error, notServed, footer }: CountCardProps) {
  const missing = isMissingRoute(error);
  return (
    <Card className="stat-card" aria-label={title}>
      <Flex justify="space-between" align="flex-start">
        <div>
          <Typography.Text type="secondary">{title}</Typography.Text>
          {isLoading ? (
            <Skeleton.Input active size="small" style={{ display: 'block', marginTop: 8 }} />
          ) : missing ? (
            <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
              {notServed}
            </Typography.Paragraph>
          ) : error ? (
            <ErrorAlert error={error} style={{ marginTop: 8 }} />
          ) : (
            <Link to={to}>
              <Statistic value={countOf(page)} valueStyle={{ fontSize: 32, fontWeight: 600 }} />
            </Link>
          )}
        </div>
        <span className="stat-icon">{icon}</span>
      </Flex>
      {footer && !missing && !isLoading && <div className="stat-footer">{footer}</div>}
    </Card>
  );
}

export function DashboardPage() {
  const email = useAppSelector((s) => s.auth.email);
  const vpcs = useListVpcsQuery({ limit: COUNT_LIMIT });
  const subnets = useListSubnetsQuery({ limit: COUNT_LIMIT });
  const groups = useListSecurityGroupsQuery({ limit: COUNT_LIMIT });
  const instances = useListInstancesQuery({ limit: COUNT_LIMIT });

  const admin = useAppSelector(selectIsAdmin);
  const nodes = useListNodesQuery({ limit: COUNT_LIMIT }, { skip: !admin, pollingInterval: SAMPLE_INTERVAL_MS });
  const types = useListInstanceTypesQuery({ limit: COUNT_LIMIT });
  const usage = useMemo(() => instanceUsage(instances.data?.items, types.data?.items), [instances.data, types.data]);
  const samples = useSamples(() => {
    if (!instances.data || (admin && !nodes.data)) {
      return null;
    }
    const workers = admin && nodes.data ? totalCapacity(nodes.data.items) : null;
    return {
      instances: usage.instances,
      cpu: workers ? workers.cpuAllocated : usage.cpu,
      memoryMib: workers ? workers.memoryAllocatedMib : usage.memoryMib,
    };
  });

  const instancesMissing = isMissingRoute(instances.error);
  const byState = INSTANCE_STATES.map((state) => ({
    state,
    count: instances.data?.items.filter((i) => i.state === state).length ?? 0,
  })).filter((s) => s.count > 0);

  const hasVpc = (vpcs.data?.items.length ?? 0) > 0;
  const hasSubnet = (subnets.data?.items.length ?? 0) > 0;
  const step = !hasVpc ? 0 : !hasSubnet ? 1 : 2;

  return (
    <>
      <PageHeader title="Dashboard" subtitle={email ? `Signed in as ${email}.` : undefined} />
      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12} xl={6}>
          <CountCard
            title="VPCs"
            icon={<ApartmentOutlined />}
            to="/vpcs"
            page={vpcs.data}
            isLoading={vpcs.isLoading}
            error={vpcs.error}
            notServed="Not served by this platform."
          />
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <CountCard
            title="Subnets"
            icon={<PartitionOutlined />}
            to="/subnets"
            page={subnets.data}
            isLoading={subnets.isLoading}
            error={subnets.error}
            notServed="Not served by this platform."
          />
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <CountCard
            title="Instances"
            icon={<CloudServerOutlined />}
            to="/instances"
            page={instances.data}
            isLoading={instances.isLoading}
            error={instances.error}
            notServed="No instances yet: they arrive with the compute service."
            footer={
              byState.length > 0 ? (
                <Flex gap={4} wrap="wrap">
                  {byState.map((s) => (
                    <span key={s.state}>
                      <StateTag state={s.state} />
                      <span className="tabular">{s.count}</span>
                    </span>
                  ))}
                </Flex>
              ) : (
                <Typography.Text type="secondary">No instances yet</Typography.Text>
              )
            }
          />
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <CountCard
            title="Security groups"
            icon={<SafetyCertificateOutlined />}
            to="/security-groups"
            page={groups.data}
            isLoading={groups.isLoading}
            error={groups.error}
            notServed="Security groups are not served by this platform yet."
          />
        </Col>
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={12}>
          <Card title="Getting started" className="full-height">
            <Steps
              direction="vertical"
              size="small"
              current={step}
              items={[
                {
                  title: <Link to="/vpcs">Create a VPC</Link>,
                  description: 'Your own private network, with a route table, a security group and an ACL.',
                },
                {
                  title: <Link to="/subnets">Add a subnet</Link>,
                  description: 'An address range inside the VPC to place instances in.',
                },
                {
                  title: (
                    <>
                      <Link to="/instances/launch">Launch an instance</Link> {instancesMissing && <Tag style={{ marginLeft: 4 }}>coming with the compute service</Tag>}
                    </>
                  ),
                  description: 'A virtual machine or container from an image and an instance type.',
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={6}>
          {admin ? <WorkerCapacityCard nodes={nodes.data?.items} error={nodes.error} isLoading={nodes.isLoading} /> : <YourUsageCard usage={usage} />}
        </Col>
        <Col xs={24} lg={6}>
          <UsageChartCard samples={samples} admin={admin} />
        </Col>
        {!admin && (
          <Col xs={24} lg={8}>
            <QuotaCard />
          </Col>
        )}
      </Row>
    </>
  );
}
