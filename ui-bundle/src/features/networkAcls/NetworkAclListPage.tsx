import { FileProtectOutlined } from '@ant-design/icons';
import type { NetworkAcl } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../components/PagedTable';
import { EmptyState, NotServedYet } from '../../components/EmptyState';
import { useCursorPager } from '../../components/pagination';
import { useListNetworkAclsQuery } from './api';
import { networkAclColumns } from './NetworkAclsPanel';

export function NetworkAclListPage() {
  const pager = useCursorPager();
  const query = useListNetworkAclsQuery({ limit: pager.limit, page_token: pager.pageToken });
  return (
    <>
      <PageHeader
        title="Network ACLs"
        subtitle="Stateless allow/deny lists applied to whole subnets, evaluated by rule number."
      />
      <PagedTable<NetworkAcl>
        pager={pager}
        data={query.data}
        isLoading={query.isLoading}
        isFetching={query.isFetching}
        error={query.error}
        onRetry={query.refetch}
        columns={networkAclColumns(true)}
        rowKey="id"
        noun="network ACLs"
        unavailable={<NotServedYet what="network ACLs" icon={<FileProtectOutlined className="empty-icon" />} />}
        empty={
          <EmptyState
            icon={<FileProtectOutlined className="empty-icon" />}
            title="No network ACLs yet"
            description="Every VPC comes with a default network ACL that allows all traffic."
          />
        }
      />
    </>
  );
}
