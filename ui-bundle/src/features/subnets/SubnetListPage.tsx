import { App, Button, Select, Space } from 'antd';
import { PartitionOutlined, PlusOutlined } from '@ant-design/icons';
import { useState } from 'react';
import type { TableProps } from 'antd';
import type { Subnet } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../components/PagedTable';
import { EmptyState } from '../../components/EmptyState';
import { DeleteButton } from '../../components/DeleteButton';
import { useCursorPager } from '../../components/pagination';
import { useListVpcsQuery } from '../vpcs/api';
import { useDeleteSubnetMutation, useListSubnetsQuery } from './api';
import { SubnetFormModal } from './SubnetFormModal';
import { subnetColumns } from './columns';

/** Every subnet of the user, optionally of one VPC. */
export function SubnetListPage() {
  const pager = useCursorPager();
  const [vpcId, setVpcId] = useState<string>();
  const vpcs = useListVpcsQuery({ limit: 1000 });
  const query = useListSubnetsQuery({ vpc_id: vpcId, limit: pager.limit, page_token: pager.pageToken });
  const [deleteSubnet] = useDeleteSubnetMutation();
  const [creating, setCreating] = useState(false);
  const { message } = App.useApp();

  const columns: TableProps<Subnet>['columns'] = [
    ...subnetColumns({ showVpc: true }),
    {
      title: '',
      key: 'actions',
      align: 'right',
      render: (_, subnet) => (
        <DeleteButton
          size="small"
          type="text"
          what={`subnet ${subnet.name}`}
          consequence={`The subnet ${subnet.cidr_block} is deleted. A subnet with instances cannot be deleted.`}
          onDelete={() => deleteSubnet(subnet.id).unwrap()}
          onDeleted={() => message.success(`Subnet ${subnet.name} deleted`)}
        />
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Subnets"
        subtitle="Address ranges inside your VPCs. Instances are launched into a subnet."
        extra={
          <Space>
            <Select
              allowClear
              placeholder="All VPCs"
              style={{ minWidth: 220 }}
              value={vpcId}
              onChange={(v) => {
                setVpcId(v);
                pager.reset();
              }}
              options={(vpcs.data?.items ?? []).map((v) => ({ value: v.id, label: `${v.name} (${v.cidr_block})` }))}
              aria-label="Filter by VPC"
            />
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} disabled={vpcs.data?.items.length === 0}>
              Create subnet
            </Button>
          </Space>
        }
      />
      <PagedTable<Subnet>
        pager={pager}
        data={query.data}
        isLoading={query.isLoading}
        isFetching={query.isFetching}
        error={query.error}
        onRetry={query.refetch}
        columns={columns}
        rowKey="id"
        noun="subnets"
        empty={
          <EmptyState
            icon={<PartitionOutlined className="empty-icon" />}
            title={vpcId ? 'No subnets in this VPC' : 'No subnets yet'}
            description={
              vpcs.data?.items.length === 0
                ? 'Subnets live inside a VPC: create a VPC first.'
                : 'Create a subnet inside one of your VPCs to launch instances into it.'
            }
            action={
              vpcs.data?.items.length === 0 ? undefined : (
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                  Create subnet
                </Button>
              )
            }
          />
        }
      />
      <SubnetFormModal
        open={creating}
        vpc={vpcs.data?.items.find((v) => v.id === vpcId)}
        onClose={() => setCreating(false)}
        onSaved={(s) => message.success(`Subnet ${s.name} created`)}
      />
    </>
  );
}
