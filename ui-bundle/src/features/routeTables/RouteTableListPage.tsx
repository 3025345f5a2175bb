import { BranchesOutlined } from '@ant-design/icons';
import type { RouteTable } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../components/PagedTable';
import { EmptyState, NotServedYet } from '../../components/EmptyState';
import { useCursorPager } from '../../components/pagination';
import { useListRouteTablesQuery } from './api';
import { routeTableColumns } from './RouteTablesPanel';

export function RouteTableListPage() {
  const pager = useCursorPager();
  const query = useListRouteTablesQuery({ limit: pager.limit, page_token: pager.pageToken });
  return (
    <>
      <PageHeader
        title="Route tables"
        subtitle="Where traffic leaving a subnet goes. Each VPC has a main table used by every subnet not associated with another."
      />
      <PagedTable<RouteTable>
        pager={pager}
        data={query.data}
        isLoading={query.isLoading}
        isFetching={query.isFetching}
        error={query.error}
        onRetry={query.refetch}
        columns={routeTableColumns(true)}
        rowKey="id"
        noun="route tables"
        unavailable={<NotServedYet what="route tables" icon={<BranchesOutlined className="empty-icon" />} />}
        empty={
          <EmptyState
            icon={<BranchesOutlined className="empty-icon" />}
            title="No route tables yet"
            description="Each VPC you create comes with a main route table."
          />
        }
      />
    </>
  );
}
