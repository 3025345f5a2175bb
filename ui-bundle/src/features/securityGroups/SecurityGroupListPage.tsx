import { App, Button } from 'antd';
import { PlusOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { SecurityGroup } from '../../api/types';
import { isMissingRoute } from '../../api/errors';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../components/PagedTable';
import { EmptyState, NotServedYet } from '../../components/EmptyState';
import { useCursorPager } from '../../components/pagination';
import { useListSecurityGroupsQuery } from './api';
import { securityGroupColumns } from './SecurityGroupsPanel';
import { SecurityGroupFormModal } from './SecurityGroupFormModal';

export function SecurityGroupListPage() {
  const pager = useCursorPager();
  const query = useListSecurityGroupsQuery({ limit: pager.limit, page_token: pager.pageToken });
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  const { message } = App.useApp();
  return (
    <>
      <PageHeader
        title="Security groups"
        subtitle="Stateful firewalls attached to instances: inbound and outbound rules by protocol, port and source."
        extra={
          !isMissingRoute(query.error) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              Create security group
            </Button>
          )
        }
      />
      <PagedTable<SecurityGroup>
        pager={pager}
        data={query.data}
        isLoading={query.isLoading}
        isFetching={query.isFetching}
        error={query.error}
        onRetry={query.refetch}
        columns={securityGroupColumns(true)}
        rowKey="id"
        noun="security groups"
        unavailable={<NotServedYet what="security groups" icon={<SafetyCertificateOutlined className="empty-icon" />} />}
        empty={
          <EmptyState
            icon={<SafetyCertificateOutlined className="empty-icon" />}
            title="No security groups yet"
            description="Every VPC comes with a default security group; create a VPC to get one."
          />
        }
      />
      <SecurityGroupFormModal
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(g) => {
          message.success(`Security group ${g.name} created`);
          navigate(`/security-groups/${g.id}`);
        }}
      />
    </>
  );
}
