import { DeploymentUnitOutlined } from '@ant-design/icons';
import { PageHeader } from '../../components/PageHeader';
import { ArrivesLater } from '../../components/EmptyState';

/** Worker nodes: the hosts instances run on. Their API comes with the compute service. */
export function WorkerNodesPage() {
  return (
    <>
      <PageHeader title="Worker nodes" subtitle="The hosts that run instances: their state, capacity and drivers." />
      <ArrivesLater what="Worker nodes" service="compute service" icon={<DeploymentUnitOutlined className="empty-icon" />} />
    </>
  );
}
