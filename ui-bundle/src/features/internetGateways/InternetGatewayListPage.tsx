import { App, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { GlobalOutlined, LinkOutlined, PlusOutlined } from '@ant-design/icons';
import { useState } from 'react';
import type { TableProps } from 'antd';
import type { InternetGateway } from '../../api/types';
import { isMissingRoute } from '../../api/errors';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../components/PagedTable';
import { EmptyState, NotServedYet } from '../../components/EmptyState';
import { DeleteButton } from '../../components/DeleteButton';
import { ErrorAlert } from '../../components/ErrorAlert';
import { DateText, IdLink, ResourceId, StateTag } from '../../components/format';
import { useCursorPager } from '../../components/pagination';
import {
  useCreateInternetGatewayMutation,
  useDeleteInternetGatewayMutation,
  useDetachInternetGatewayMutation,
  useListInternetGatewaysQuery,
} from './api';
import { AttachGatewayModal } from './AttachGatewayModal';

export function InternetGatewayListPage() {
  const pager = useCursorPager();
  const query = useListInternetGatewaysQuery({ limit: pager.limit, page_token: pager.pageToken });
  const [create, creating] = useCreateInternetGatewayMutation();
  const [deleteGateway] = useDeleteInternetGatewayMutation();
  const [detach] = useDetachInternetGatewayMutation();
  const [attaching, setAttaching] = useState<InternetGateway>();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const { message } = App.useApp();

  const columns: TableProps<InternetGateway>['columns'] = [
    { title: 'Name', dataIndex: 'name', render: (n: string) => n || <Typography.Text type="secondary">(no name)</Typography.Text> },
    { title: 'Gateway ID', dataIndex: 'id', render: (id: string) => <ResourceId id={id} /> },
    { title: 'State', dataIndex: 'state', render: (s: string) => <StateTag state={s} /> },
    { title: 'VPC', dataIndex: 'vpc_id', render: (id: string | null) => <IdLink to={`/vpcs/${id}`} id={id} /> },
    { title: 'Created', dataIndex: 'created_at', render: (iso: string) => <DateText iso={iso} /> },
    {
      title: '',
      key: 'actions',
      align: 'right',
      render: (_, g) => (
        <Space size={4}>
          {g.vpc_id ? (
            <DeleteButton
              size="small"
              type="text"
              label="Detach"
              what={`internet gateway ${g.name || g.id.slice(0, 8)} from its VPC`}
              consequence="Instances of the VPC lose internet access. A gateway cannot be detached while a route targets it."
              onDelete={() => detach({ id: g.id, vpc_id: g.vpc_id! }).unwrap()}
              onDeleted={() => message.success('Internet gateway detached')}
            />
          ) : (
            <Button size="small" type="text" icon={<LinkOutlined />} onClick={() => setAttaching(g)}>
              Attach
            </Button>
          )}
          <DeleteButton
            size="small"
            type="text"
            what={`internet gateway ${g.name || g.id.slice(0, 8)}`}
            consequence="An attached gateway cannot be deleted: detach it first."
            onDelete={() => deleteGateway(g.id).unwrap()}
            onDeleted={() => message.success('Internet gateway deleted')}
          />
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Internet gateways"
        subtitle="Connect a VPC to the internet. A VPC has at most one; routes in its route tables send traffic to it."
        extra={
          !isMissingRoute(query.error) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
              Create internet gateway
            </Button>
          )
        }
      />
      <PagedTable<InternetGateway>
        pager={pager}
        data={query.data}
        isLoading={query.isLoading}
        isFetching={query.isFetching}
        error={query.error}
        onRetry={query.refetch}
        columns={columns}
        rowKey="id"
        noun="internet gateways"
        unavailable={<NotServedYet what="internet gateways" icon={<GlobalOutlined className="empty-icon" />} />}
        empty={
          <EmptyState
            icon={<GlobalOutlined className="empty-icon" />}
            title="No internet gateways yet"
            description="Create one and attach it to a VPC so that its public subnets can reach the internet."
          />
        }
      />
      <Modal
        open={open}
        title="Create internet gateway"
        okText="Create"
        confirmLoading={creating.isLoading}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        onOk={async () => {
          try {
            await create({ name: name.trim() || undefined }).unwrap();
            message.success('Internet gateway created');
            setOpen(false);
            setName('');
          } catch {
            // shown below
          }
        }}
      >
        <Form layout="vertical">
          <Form.Item label="Name" extra="Optional.">
            <Input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. main-gateway" />
          </Form.Item>
        </Form>
        {creating.error && <ErrorAlert error={creating.error} />}
      </Modal>
      <AttachGatewayModal
        open={!!attaching}
        gateway={attaching}
        onClose={() => setAttaching(undefined)}
        onAttached={() => message.success('Internet gateway attached')}
      />
    </>
  );
}
