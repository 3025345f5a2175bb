import { App, Button, Flex, Space, Typography } from 'antd';
import { EditOutlined, PartitionOutlined, PlusOutlined } from '@ant-design/icons';
import { useState } from 'react';
import type { TableProps } from 'antd';
import type { Subnet, Vpc } from '../../api/types';
import { PagedTable } from '../../components/PagedTable';
import { EmptyState } from '../../components/EmptyState';
import { DeleteButton } from '../../components/DeleteButton';
import { useCursorPager } from '../../components/pagination';
import { useDeleteSubnetMutation, useListSubnetsQuery } from './api';
import { SubnetFormModal } from './SubnetFormModal';
import { subnetColumns } from './columns';

/** The subnets of one VPC, with create, edit and delete. */
export function SubnetsPanel({ vpc }: { vpc: Vpc }) {
  const pager = useCursorPager(25);
  const query = useListSubnetsQuery({ vpc_id: vpc.id, limit: pager.limit, page_token: pager.pageToken });
  const [deleteSubnet] = useDeleteSubnetMutation();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Subnet>();
  const { message } = App.useApp();

  const columns: TableProps<Subnet>['columns'] = [
    ...subnetColumns(),
    {
      title: '',
      key: 'actions',
      align: 'right',
      render: (_, subnet) => (
        <Space size={4}>
          <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setEditing(subnet)} aria-label={`Edit subnet ${subnet.name}`} />
          <DeleteButton
            size="small"
            type="text"
            what={`subnet ${subnet.name}`}
            consequence={`The subnet ${subnet.cidr_block} is deleted. A subnet with instances cannot be deleted.`}
            onDelete={() => deleteSubnet(subnet.id).unwrap()}
            onDeleted={() => message.success(`Subnet ${subnet.name} deleted`)}
          />
        </Space>
      ),
    },
  ];

  const create = (
    <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
      Create subnet
    </Button>
  );

  return (
    <>
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">Subnets divide the VPC's block {vpc.cidr_block}; instances are launched into a subnet.</Typography.Text>
        {(query.data?.items.length ?? 0) > 0 && create}
      </Flex>
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
        size="small"
        empty={
          <EmptyState
            icon={<PartitionOutlined className="empty-icon" />}
            title="No subnets in this VPC"
            description={`Create a subnet inside ${vpc.cidr_block} to launch instances into it.`}
            action={create}
          />
        }
      />
      <SubnetFormModal
        open={creating}
        vpc={vpc}
        taken={(query.data?.items ?? []).map((s) => s.cidr_block)}
        onClose={() => setCreating(false)}
        onSaved={(s) => message.success(`Subnet ${s.name} created`)}
      />
      <SubnetFormModal
        open={!!editing}
        vpc={vpc}
        subnet={editing}
        onClose={() => setEditing(undefined)}
        onSaved={(s) => message.success(`Subnet ${s.name} saved`)}
      />
    </>
  );
}
