import { Alert, Button, Card, Empty, Modal, Select, Space, Tag } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useListSecurityGroupsQuery } from '../securityGroups/api';
import { useUpdateInstanceMutation, type Instance } from './api';
import { computeError, type ComputeError } from './errors';

/** The instance's security groups; changing them applies at once (PUT /instances/{id}). */
export function InstanceSecurityGroups({ instance }: { instance: Instance }) {
  const groups = useListSecurityGroupsQuery({ vpc_id: instance.vpc_id ?? undefined, limit: 1000 }, { skip: !instance.vpc_id });
  const [update, updating] = useUpdateInstanceMutation();
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<string[]>(instance.security_group_ids);
  const [error, setError] = useState<ComputeError>();
  useEffect(() => {
    if (open) {
      setChosen(instance.security_group_ids);
      setError(undefined);
    }
  }, [open, instance.security_group_ids]);
  const byId = new Map((groups.data?.items ?? []).map((g) => [g.id, g]));
  const editable = instance.state !== 'terminated' && instance.state !== 'shutting-down';

  const save = async () => {
    setError(undefined);
    try {
      await update({ id: instance.id, security_group_ids: chosen }).unwrap();
      setOpen(false);
    } catch (e) {
      setError(computeError(e as never));
    }
  };

  return (
    <Card
      className="section-card"
      title="Security groups"
      extra={
        <Button size="small" icon={<EditOutlined />} disabled={!editable} onClick={() => setOpen(true)}>
          Change groups
        </Button>
      }
    >
      {instance.security_group_ids.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="No security group: no inbound traffic is allowed." />
      ) : (
        <Space wrap>
          {instance.security_group_ids.map((id) => (
            <Link key={id} to={`/security-groups/${id}`}>
              <Tag color="blue">{byId.get(id)?.name ?? id.slice(0, 8)}</Tag>
            </Link>
          ))}
        </Space>
      )}
      <Modal
        open={open}
        title="Change security groups"
        okText="Apply"
        onOk={save}
        confirmLoading={updating.isLoading}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <p>The rules of the groups chosen here apply to the running instance at once.</p>
        <Select
          mode="multiple"
          aria-label="Security groups"
          style={{ width: '100%' }}
          loading={groups.isFetching}
          value={chosen}
          onChange={setChosen}
          options={(groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.is_default ? `${g.name} (default)` : g.name }))}
        />
        {error && <Alert style={{ marginTop: 12 }} type="error" showIcon message={error.message} description={error.detail} role="alert" />}
      </Modal>
    </Card>
  );
}
