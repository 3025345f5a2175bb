import { Button, Card, Descriptions, Result, Table, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import type { Direction, NetworkAcl, NetworkAclEntry } from '../../api/types';
import { isMissingRoute, toConsoleError } from '../../api/errors';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PageLoading } from '../../components/PageLoading';
import { NotServedYet } from '../../components/EmptyState';
import { DateText, IdLink } from '../../components/format';
import { describePorts } from '../../lib/rules';
import { useGetNetworkAclQuery } from './api';

function EntriesCard({ acl, direction }: { acl: NetworkAcl; direction: Direction }) {
  const entries = acl.entries.filter((e) => e.direction === direction).sort((a, b) => a.rule_number - b.rule_number);
  return (
    <Card className="section-card" title={`${direction === 'inbound' ? 'Inbound' : 'Outbound'} entries`}>
      <Table<NetworkAclEntry>
        rowKey={(e) => `${e.direction}-${e.rule_number}`}
        size="small"
        pagination={false}
        dataSource={entries}
        locale={{ emptyText: 'No entries: all traffic in this direction is denied.' }}
        columns={[
          { title: 'Rule #', dataIndex: 'rule_number', width: 90 },
          { title: 'Protocol and ports', key: 'ports', render: (_, e) => describePorts(e.protocol, e.from_port, e.to_port) },
          { title: direction === 'inbound' ? 'Source' : 'Destination', dataIndex: 'cidr_block', render: (c: string) => <span className="mono">{c}</span> },
          { title: 'Action', dataIndex: 'action', render: (a: string) => <Tag color={a === 'allow' ? 'green' : 'red'}>{a}</Tag> },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
        Entries are evaluated from the lowest rule number; the first match decides. Traffic no entry matches is denied.
      </Typography.Paragraph>
    </Card>
  );
}

export function NetworkAclDetailPage() {
  const { id = '' } = useParams();
  const { data: acl, error, isLoading, refetch } = useGetNetworkAclQuery(id);
  if (isLoading) {
    return <PageLoading />;
  }
  if (!acl) {
    if (isMissingRoute(error)) {
      return <NotServedYet what="network ACLs" />;
    }
    const e = toConsoleError(error);
    return e?.status === 404 || e?.status === 400 ? (
      <Result status="404" title="Network ACL not found" subTitle={e.message} extra={<Link to="/network-acls"><Button type="primary">Back to network ACLs</Button></Link>} />
    ) : (
      <ErrorAlert error={error} onRetry={refetch} />
    );
  }
  return (
    <>
      <PageHeader
        breadcrumb={[{ title: 'Network ACLs', to: '/network-acls' }, { title: acl.name || acl.id.slice(0, 8) }]}
        title={<>{acl.name || 'Network ACL'} {acl.is_default && <Tag>default</Tag>}</>}
      />
      <Card className="section-card">
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          items={[
            { key: 'id', label: 'ACL ID', children: <Typography.Text copyable className="mono">{acl.id}</Typography.Text> },
            { key: 'vpc', label: 'VPC', children: <IdLink to={`/vpcs/${acl.vpc_id}`} id={acl.vpc_id} /> },
            { key: 'subnets', label: 'Explicit subnets', children: acl.subnet_ids.length },
            { key: 'created', label: 'Created', children: <DateText iso={acl.created_at} /> },
          ]}
        />
      </Card>
      <EntriesCard acl={acl} direction="inbound" />
      <EntriesCard acl={acl} direction="outbound" />
    </>
  );
}
