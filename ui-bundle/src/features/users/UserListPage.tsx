import { Tag } from 'antd';
import { TeamOutlined } from '@ant-design/icons';
import type { TableProps } from 'antd';
import type { User } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../components/PagedTable';
import { EmptyState } from '../../components/EmptyState';
import { DateText, ResourceId } from '../../components/format';
import { useCursorPager } from '../../components/pagination';
import { useListUsersQuery } from './api';

const columns: TableProps<User>['columns'] = [
  { title: 'Username', dataIndex: 'username', render: (u: string) => <strong>{u}</strong> },
  { title: 'Email', dataIndex: 'email' },
  { title: 'Role', dataIndex: 'role', render: (r: string) => <Tag color={r === 'admin' ? 'purple' : 'default'}>{r}</Tag> },
  { title: 'Status', dataIndex: 'is_active', render: (a: boolean) => (a ? <Tag color="green">active</Tag> : <Tag color="red">disabled</Tag>) },
  { title: 'User ID', dataIndex: 'id', render: (id: string) => <ResourceId id={id} /> },
  { title: 'Joined', dataIndex: 'created_at', render: (iso: string) => <DateText iso={iso} /> },
];

export function UserListPage() {
  const pager = useCursorPager();
  const query = useListUsersQuery({ limit: pager.limit, page_token: pager.pageToken });
  return (
    <>
      <PageHeader title="Users" subtitle="Every account of the platform. Visible to administrators only." />
      <PagedTable<User>
        pager={pager}
        data={query.data}
        isLoading={query.isLoading}
        isFetching={query.isFetching}
        error={query.error}
        onRetry={query.refetch}
        columns={columns}
        rowKey="id"
        noun="users"
        empty={<EmptyState icon={<TeamOutlined className="empty-icon" />} title="No users" description="Nobody has registered yet." />}
      />
    </>
  );
}
