import { App, Button, Space, Typography } from 'antd';
import { PlusOutlined, ApartmentOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { TableProps } from 'antd';
import type { Vpc } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../components/PagedTable';
import { EmptyState } from '../../components/EmptyState';
import { DeleteButton } from '../../components/DeleteButton';
import { DateText, ResourceId, StateTag } from '../../components/format';
import { useCursorPager } from '../../components/pagination';
import { useDeleteVpcMutation, useListVpcsQuery } from './api';
import { VpcFormModal } from './VpcFormModal';

export function VpcListPage() {
  const pager = useCursorPager();
  const query = useListVpcsQuery({ limit: pager.limit, page_token: pager.pageToken });
  const [deleteVpc] = useDeleteVpcMutation();
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  const { message } = App.useApp();

  const columns: TableProps<Vpc>['columns'] = [
    {
      title: 'Name',
      dataIndex: 'name',
      render: (name: string, vpc) => (
        <Link to={`/vpcs/${vpc.id}`} className="strong-link">
          {name}
        </Link>
      ),
    },
    { title: 'VPC ID', dataIndex: 'id', render: (id: string) => <ResourceId id={id} /> },
    { title: 'IPv4 CIDR', dataIndex: 'cidr_block', render: (cidr: string) => <span className="mono">{cidr}</span> },
    { title: 'State', dataIndex: 'state', render: (state: string) => <StateTag state={state} /> },
    {
      title: 'Description',
      dataIndex: 'description',
      ellipsis: true,
      render: (d: string | null) => d || <Typography.Text type="secondary">—</Typography.Text>,
    },
    { title: 'Created', dataIndex: 'created_at', render: (iso: string) => <DateText iso={iso} /> },
    {
      title: '',
      key: 'actions',
      align: 'right',
      render: (_, vpc) => (
        <Space size={4}>
          <Button size="small" type="link" onClick={() => navigate(`/vpcs/${vpc.id}`)}>
            Open
          </Button>
          <DeleteButton
            size="small"
            type="text"
            what={`VPC ${vpc.name}`}
            consequence="The VPC, its main route table, default security group and default network ACL are deleted. A VPC with subnets or other resources cannot be deleted: delete those first."
            onDelete={() => deleteVpc(vpc.id).unwrap()}
            onDeleted={() => message.success(`VPC ${vpc.name} deleted`)}
          />
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="VPCs"
        subtitle="Your isolated virtual networks. Each VPC comes with a main route table, a default security group and a default network ACL."
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            Create VPC
          </Button>
        }
      />
      <PagedTable<Vpc>
        pager={pager}
        data={query.data}
        isLoading={query.isLoading}
        isFetching={query.isFetching}
        error={query.error}
        onRetry={query.refetch}
        columns={columns}
        rowKey="id"
        noun="VPCs"
        empty={
          <EmptyState
            icon={<ApartmentOutlined className="empty-icon" />}
            title="No VPCs yet"
            description="A VPC is a private network of your own. Create one, then add subnets to place instances in."
            action={
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                Create your first VPC
              </Button>
            }
          />
        }
      />
      <VpcFormModal
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(vpc) => {
          message.success(`VPC ${vpc.name} created`);
          navigate(`/vpcs/${vpc.id}`);
        }}
      />
    </>
  );
}
