import { Alert, Button, Card, Col, Descriptions, Empty, Result, Row, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { AnyError } from '../../api/errors';
import { toConsoleError } from '../../api/errors';
import { useAppSelector } from '../../app/hooks';
import { selectIsAdmin } from '../../auth/authSlice';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoading } from '../../components/PageLoading';
import { DateText, formatMiB } from '../../components/format';
import { LiveBadge } from '../../live/LiveBadge';
import { useGetInstanceQuery } from './api';
import { computeError } from './errors';
import { InstanceActions } from './InstanceActions';
import { InstanceStateTag } from './InstanceStateTag';
import { InstanceSecurityGroups } from './InstanceSecurityGroups';
import { StateHistory } from './StateHistory';
import { ConsoleOutput } from './ConsoleOutput';
import { useInstanceLookups } from './lookups';

const dash = <Typography.Text type="secondary">—</Typography.Text>;
const mono = (text: string | null | undefined) => (text ? <Typography.Text copyable className="mono">{text}</Typography.Text> : dash);

/** One instance: its state (live), actions, addresses, placement, groups, tags and history. */
export function InstanceDetailPage() {
  const { id = '' } = useParams();
  const { data: instance, error, isLoading, refetch } = useGetInstanceQuery(id);
  const lookups = useInstanceLookups();
  const admin = useAppSelector(selectIsAdmin);
  const [actionError, setActionError] = useState<AnyError>();
  useEffect(() => setActionError(undefined), [instance?.state]);

  if (isLoading) {
    return <PageLoading label="Loading the instance…" />;
  }
  if (!instance) {
    const e = toConsoleError(error);
    if (e?.status === 404 || e?.status === 400) {
      return (
        <Result
          status="404"
          title="Instance not found"
          subTitle={e.message}
          extra={
            <Link to="/instances">
              <Button type="primary">Back to instances</Button>
            </Link>
          }
        />
      );
    }
    return <ErrorAlert error={error} onRetry={refetch} />;
  }

  const name = instance.name || instance.id.slice(0, 8);
  const type = lookups.types.get(instance.instance_type);
  const image = instance.image_id ? lookups.images.get(instance.image_id) : undefined;
  const subnet = instance.subnet_id ? lookups.subnets.get(instance.subnet_id) : undefined;
  const vpc = instance.vpc_id ? lookups.vpcs.get(instance.vpc_id) : undefined;
  const failed = computeError(actionError);
  const tags = Object.entries(instance.tags ?? {});

  return (
    <>
      <PageHeader
        breadcrumb={[{ title: 'Instances', to: '/instances' }, { title: name }]}
        title={
          <Space>
            {name}
            <InstanceStateTag state={instance.state} />
          </Space>
        }
        subtitle={<LiveBadge />}
        extra={<InstanceActions instance={instance} onError={setActionError} />}
      />
      {instance.state_reason && (
        <Alert
          className="section-card"
          type={instance.state === 'terminated' || /fail/i.test(instance.state_reason) ? 'error' : 'info'}
          showIcon
          message={`Why it is ${instance.state}`}
          description={instance.state_reason}
          role="status"
        />
      )}
      {failed && (
        <Alert
          className="section-card"
          type="error"
          showIcon
          closable
          onClose={() => setActionError(undefined)}
          message={failed.message}
          description={failed.detail}
          role="alert"
        />
      )}
      <Card className="section-card">
        <Descriptions
          column={{ xs: 1, sm: 2, lg: 3 }}
          size="small"
          items={[
            { key: 'id', label: 'Instance ID', children: mono(instance.id) },
            { key: 'state', label: 'State', children: <InstanceStateTag state={instance.state} /> },
            {
              key: 'type',
              label: 'Instance type',
              children: (
                <span>
                  <span className="mono">{instance.instance_type}</span>
                  {type && <Typography.Text type="secondary"> · {type.cpu} vCPU · {formatMiB(type.memory)}</Typography.Text>}
                </span>
              ),
            },
            { key: 'private', label: 'Private IP', children: mono(instance.private_ip) },
            { key: 'public', label: 'Public IP', children: mono(instance.public_ip) },
            {
              key: 'image',
              label: 'Image',
              children: instance.image_id ? <Link to="/images">{image?.name ?? instance.image_id.slice(0, 8)}</Link> : dash,
            },
            {
              key: 'vpc',
              label: 'VPC',
              children: instance.vpc_id ? <Link to={`/vpcs/${instance.vpc_id}`}>{vpc?.name ?? instance.vpc_id.slice(0, 8)}</Link> : dash,
            },
            {
              key: 'subnet',
              label: 'Subnet',
              children: instance.subnet_id ? (
                <Link to={`/vpcs/${subnet?.vpc_id ?? instance.vpc_id}`}>
                  {subnet ? `${subnet.name} (${subnet.cidr_block})` : instance.subnet_id.slice(0, 8)}
                </Link>
              ) : (
                dash
              ),
            },
            { key: 'key', label: 'Key pair', children: instance.key_name ? <Link to="/key-pairs">{instance.key_name}</Link> : dash },
            ...(admin ? [{ key: 'worker', label: 'Worker', children: instance.worker_node_id ? <Link to="/admin/workers">{instance.worker_node_id.slice(0, 8)}</Link> : dash }] : []),
            { key: 'created', label: 'Launched', children: <DateText iso={instance.created_at} /> },
            { key: 'updated', label: 'Updated', children: <DateText iso={instance.updated_at} /> },
          ]}
        />
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <InstanceSecurityGroups instance={instance} />
          <Card className="section-card" title="Tags">
            {tags.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="No tags" />
            ) : (
              <Space wrap>
                {tags.map(([k, v]) => (
                  <Tag key={k}>
                    <strong>{k}</strong>
                    {v ? ` = ${v}` : ''}
                  </Tag>
                ))}
              </Space>
            )}
          </Card>
          <ConsoleOutput instance={instance} />
        </Col>
        <Col xs={24} lg={10}>
          <StateHistory instanceId={instance.id} state={instance.state} />
        </Col>
      </Row>
    </>
  );
}
