import { App, Button, Card, Descriptions, Result, Table, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { Direction, SecurityGroup, SecurityGroupRule } from '../../api/types';
import { isMissingRoute, toConsoleError } from '../../api/errors';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoading } from '../../components/PageLoading';
import { NotServedYet } from '../../components/EmptyState';
import { DeleteButton } from '../../components/DeleteButton';
import { DateText, IdLink } from '../../components/format';
import { describePorts } from '../../lib/rules';
import { useDeleteSecurityGroupMutation, useDeleteSecurityGroupRuleMutation, useGetSecurityGroupQuery } from './api';
import { RuleFormModal } from './RuleFormModal';
import { SecurityGroupFormModal } from './SecurityGroupFormModal';

function RulesCard({ group, direction }: { group: SecurityGroup; direction: Direction }) {
  const [adding, setAdding] = useState(false);
  const [deleteRule] = useDeleteSecurityGroupRuleMutation();
  const { message } = App.useApp();
  const rules = group.rules.filter((r) => r.direction === direction);
  const peer = direction === 'inbound' ? 'Source' : 'Destination';
  return (
    <Card
      className="section-card"
      title={`${direction === 'inbound' ? 'Inbound' : 'Outbound'} rules`}
      extra={
        <Button icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          Add rule
        </Button>
      }
    >
      <Table<SecurityGroupRule>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={rules}
        locale={{
          emptyText:
            direction === 'inbound'
              ? 'No inbound rules: no traffic may reach members of this group.'
              : 'No outbound rules: members of this group may not send traffic.',
        }}
        columns={[
          { title: 'Protocol and ports', key: 'ports', render: (_, r) => describePorts(r.protocol, r.from_port, r.to_port) },
          {
            title: peer,
            dataIndex: 'source',
            render: (source: string) =>
              source.includes('/') ? (
                <span className="mono">{source === '0.0.0.0/0' ? '0.0.0.0/0 (anywhere)' : source}</span>
              ) : (
                <>
                  <Tag>group</Tag>
                  <IdLink to={`/security-groups/${source}`} id={source} />
                </>
              ),
          },
          {
            title: 'Description',
            dataIndex: 'description',
            render: (d: string | null) => d || <Typography.Text type="secondary">—</Typography.Text>,
          },
          {
            title: '',
            key: 'actions',
            align: 'right',
            render: (_, rule) => (
              <DeleteButton
                size="small"
                type="text"
                what="this rule"
                consequence={`${describePorts(rule.protocol, rule.from_port, rule.to_port)} ${direction === 'inbound' ? 'from' : 'to'} ${rule.source} stops being allowed.`}
                onDelete={() => deleteRule({ groupId: group.id, ruleId: rule.id }).unwrap()}
                onDeleted={() => message.success('Rule deleted')}
              />
            ),
          },
        ]}
      />
      <RuleFormModal open={adding} group={group} direction={direction} onClose={() => setAdding(false)} onSaved={() => message.success('Rule added')} />
    </Card>
  );
}

export function SecurityGroupDetailPage() {
  const { id = '' } = useParams();
  const { data: group, error, isLoading, refetch } = useGetSecurityGroupQuery(id);
  const [deleteGroup] = useDeleteSecurityGroupMutation();
  const [editing, setEditing] = useState(false);
  const navigate = useNavigate();
  const { message } = App.useApp();

  if (isLoading) {
    return <PageLoading />;
  }
  if (!group) {
    if (isMissingRoute(error)) {
      return <NotServedYet what="security groups" />;
    }
    const e = toConsoleError(error);
    return e?.status === 404 || e?.status === 400 ? (
      <Result status="404" title="Security group not found" subTitle={e.message} extra={<Link to="/security-groups"><Button type="primary">Back to security groups</Button></Link>} />
    ) : (
      <ErrorAlert error={error} onRetry={refetch} />
    );
  }

  return (
    <>
      <PageHeader
        breadcrumb={[{ title: 'Security groups', to: '/security-groups' }, { title: group.name }]}
        title={<>{group.name} {group.is_default && <Tag>default</Tag>}</>}
        subtitle={group.description || undefined}
        extra={
          <>
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
              Edit
            </Button>
            <DeleteButton
              what={`security group ${group.name}`}
              disabled={group.is_default}
              consequence="The group and its rules are deleted. A group used by instances or named in another group's rules cannot be deleted."
              onDelete={() => deleteGroup(group.id).unwrap()}
              onDeleted={() => {
                message.success(`Security group ${group.name} deleted`);
                navigate('/security-groups', { replace: true });
              }}
            />
          </>
        }
      />
      <Card className="section-card">
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          items={[
            { key: 'id', label: 'Group ID', children: <Typography.Text copyable className="mono">{group.id}</Typography.Text> },
            { key: 'vpc', label: 'VPC', children: <IdLink to={`/vpcs/${group.vpc_id}`} id={group.vpc_id} /> },
            { key: 'created', label: 'Created', children: <DateText iso={group.created_at} /> },
          ]}
        />
      </Card>
      <RulesCard group={group} direction="inbound" />
      <RulesCard group={group} direction="outbound" />
      <SecurityGroupFormModal open={editing} group={group} onClose={() => setEditing(false)} onSaved={() => message.success('Security group saved')} />
    </>
  );
}
