import { Alert, Form, Input, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import type { SecurityGroup, Vpc } from '../../api/types';
import type { ConsoleError } from '../../api/errors';
import { applyApiError } from '../../components/forms';
import { useListVpcsQuery } from '../vpcs/api';
import { useCreateSecurityGroupMutation, useUpdateSecurityGroupMutation } from './api';

interface Values {
  vpc_id: string;
  name: string;
  description?: string;
}

interface Props {
  open: boolean;
  vpc?: Vpc;
  group?: SecurityGroup;
  onClose: () => void;
  onSaved?: (group: SecurityGroup) => void;
}

export function SecurityGroupFormModal({ open, vpc, group, onClose, onSaved }: Props) {
  const [form] = Form.useForm<Values>();
  const [create, creating] = useCreateSecurityGroupMutation();
  const [update, updating] = useUpdateSecurityGroupMutation();
  const [formError, setFormError] = useState<ConsoleError>();
  // The form is destroyed on close and starts from its initial values on open (never reset while open:
  // that would wipe what a quick user already typed during the opening animation).
  useEffect(() => {
    if (open) {
      setFormError(undefined);
    }
  }, [open]);
  const vpcs = useListVpcsQuery({ limit: 1000 }, { skip: !!vpc || !!group || !open });
  const editing = !!group;

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setFormError(undefined);
    try {
      const saved = editing
        ? await update({ id: group.id, name: group.is_default ? undefined : v.name.trim(), description: v.description?.trim() ?? '' }).unwrap()
        : await create({ vpc_id: vpc?.id ?? v.vpc_id, name: v.name.trim(), description: v.description?.trim() || undefined }).unwrap();
      onSaved?.(saved);
      onClose();
    } catch (error) {
      setFormError(applyApiError(form, error as never, ['vpc_id', 'name', 'description']));
    }
  };

  return (
    <Modal
      open={open}
      title={editing ? `Edit security group ${group.name}` : vpc ? `Create security group in ${vpc.name}` : 'Create security group'}
      okText={editing ? 'Save' : 'Create'}
      onOk={submit}
      confirmLoading={creating.isLoading || updating.isLoading}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark="optional"
        preserve={false}
        initialValues={group ? { name: group.name, description: group.description ?? '' } : { vpc_id: vpc?.id, name: '' }}
        onFinish={submit}
      >
        {!vpc && !editing && (
          <Form.Item label="VPC" name="vpc_id" rules={[{ required: true, message: 'Choose the VPC of the group' }]}>
            <Select
              placeholder="Choose a VPC"
              loading={vpcs.isLoading}
              options={(vpcs.data?.items ?? []).map((v) => ({ value: v.id, label: `${v.name} (${v.cidr_block})` }))}
            />
          </Form.Item>
        )}
        <Form.Item
          label="Name"
          name="name"
          extra={group?.is_default ? 'The default group keeps its name.' : undefined}
          rules={[
            { required: true, whitespace: true, message: 'Give the group a name' },
            { max: 255, message: 'name must be at most 255 characters long' },
          ]}
        >
          <Input placeholder="e.g. web-servers" disabled={group?.is_default} autoFocus />
        </Form.Item>
        <Form.Item label="Description" name="description" rules={[{ max: 255, message: 'description must be at most 255 characters long' }]}>
          <Input placeholder="What the group allows" />
        </Form.Item>
        {!editing && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            message="A new group allows no inbound traffic and all outbound traffic until you change its rules."
          />
        )}
        {formError && <Alert type="error" showIcon message={formError.message} role="alert" />}
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
