import { App, Button, Descriptions, Flex, Typography } from 'antd';
import { GlobalOutlined, LinkOutlined } from '@ant-design/icons';
import { useState } from 'react';
import type { Vpc } from '../../api/types';
import { isMissingRoute } from '../../api/errors';
import { ErrorAlert } from '../../components/ErrorAlert';
import { EmptyState, NotServedYet } from '../../components/EmptyState';
import { PageLoading } from '../../components/PageLoading';
import { DeleteButton } from '../../components/DeleteButton';
import { DateText, StateTag } from '../../components/format';
import { useDetachInternetGatewayMutation, useListInternetGatewaysQuery } from './api';
import { AttachGatewayModal } from './AttachGatewayModal';

/** The internet gateway attached to a VPC (at most one), with attach and detach. */
export function InternetGatewayPanel({ vpc }: { vpc: Vpc }) {
  const { data, error, isLoading, refetch } = useListInternetGatewaysQuery({ limit: 1000 });
  const [detach] = useDetachInternetGatewayMutation();
  const [attaching, setAttaching] = useState(false);
  const { message } = App.useApp();
  if (isLoading) {
    return <PageLoading />;
  }
  if (isMissingRoute(error)) {
    return <NotServedYet what="internet gateways" icon={<GlobalOutlined className="empty-icon" />} />;
  }
  if (error) {
    return <ErrorAlert error={error} onRetry={refetch} />;
  }
  const gateway = data?.items.find((g) => g.vpc_id === vpc.id);
  const modal = (
    <AttachGatewayModal
      open={attaching}
      vpc={vpc}
      onClose={() => setAttaching(false)}
      onAttached={() => message.success(`Internet gateway attached to ${vpc.name}`)}
    />
  );
  if (!gateway) {
    return (
      <>
        <EmptyState
          icon={<GlobalOutlined className="empty-icon" />}
          title="No internet gateway attached"
          description="Without one, instances of this VPC cannot reach the internet. Attach a gateway, then add a route 0.0.0.0/0 to it in a route table."
          action={
            <Button type="primary" icon={<LinkOutlined />} onClick={() => setAttaching(true)}>
              Attach internet gateway
            </Button>
          }
        />
        {modal}
      </>
    );
  }
  return (
    <>
      <Flex justify="space-between" align="flex-start" gap={16}>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          items={[
            { key: 'name', label: 'Name', children: gateway.name || '—' },
            { key: 'id', label: 'Gateway ID', children: <Typography.Text copyable className="mono">{gateway.id}</Typography.Text> },
            { key: 'state', label: 'State', children: <StateTag state={gateway.state} /> },
            { key: 'created', label: 'Created', children: <DateText iso={gateway.created_at} /> },
          ]}
        />
        <DeleteButton
          label="Detach"
          what={`the gateway from ${vpc.name}`}
          consequence="Instances of this VPC lose internet access. A gateway cannot be detached while a route targets it or an instance of the VPC has a public address."
          onDelete={() => detach({ id: gateway.id, vpc_id: vpc.id }).unwrap()}
          onDeleted={() => message.success('Internet gateway detached')}
        />
      </Flex>
      {modal}
    </>
  );
}
