import { Alert, Form, Input, Modal } from 'antd';
import { useEffect, useState } from 'react';
import type { Vpc } from '../../api/types';
import type { ConsoleError } from '../../api/errors';
import { applyApiError, checkRule } from '../../components/forms';
import { vpcCidrError } from '../../lib/cidr';
import { useCreateVpcMutation, useUpdateVpcMutation } from './api';

interface Values {
  name: string;
  cidr_block: string;
  description?: string;
}

const FIELDS = ['name', 'cidr_block', 'description'] as const;

interface Props {
  open: boolean;
  /** The VPC to rename; absent to create one. */
  vpc?: Vpc;
  onClose: () => void;
  onSaved?: (vpc: Vpc) => void;
}

/** Creates a VPC, or renames and re-describes one (its block cannot change). */
export function VpcFormModal({ open, vpc, onClose, onSaved }: Props) {
  const [form] = Form.useForm<Values>();
  const [create, creating] = useCreateVpcMutation();
  const [update, updating] = useUpdateVpcMutation();
  const [formError, setFormError] = useState<ConsoleError>();
  // The form is destroyed on close and starts from its initial values on open (never reset while open:
  // that would wipe what a quick user already typed during the opening animation).
  useEffect(() => {
    if (open) {
      setFormError(undefined);
    }
  }, [open]);
  const editing = !!vpc;

  const submit = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return; // the form shows what is wrong
    }
    setFormError(undefined);
    const description = values.description?.trim() || undefined;
    try {
      const saved = editing
        ? await update({ id: vpc.id, name: values.name.trim(), description: description ?? '' }).unwrap()
        : await create({ name: values.name.trim(), cidr_block: values.cidr_block.trim(), description }).unwrap();
      onSaved?.(saved);
      onClose();
    } catch (error) {
      setFormError(applyApiError(form, error as never, FIELDS));
    }
  };

  return (
    <Modal
      open={open}
      title={editing ? `Edit VPC ${vpc.name}` : 'Create VPC'}
      okText={editing ? 'Save' : 'Create VPC'}
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
        initialValues={
          vpc ? { name: vpc.name, cidr_block: vpc.cidr_block, description: vpc.description ?? '' } : { name: '', cidr_block: '10.0.0.0/16' }
        }
        onFinish={submit}
      >
        <Form.Item
          label="Name"
          name="name"
          rules={[
            { required: true, whitespace: true, message: 'Give the VPC a name' },
            { max: 255, message: 'name must be at most 255 characters long' },
          ]}
        >
          <Input placeholder="e.g. production" autoFocus />
        </Form.Item>
        <Form.Item
          label="IPv4 CIDR block"
          name="cidr_block"
          required={!editing}
          extra={editing ? "A VPC's block cannot change." : 'The private address range of the VPC, /16 to /28, e.g. 10.0.0.0/16.'}
          validateFirst
          rules={editing ? [] : [checkRule(vpcCidrError)]}
        >
          <Input className="mono" disabled={editing} placeholder="10.0.0.0/16" />
        </Form.Item>
        <Form.Item
          label="Description"
          name="description"
          rules={[{ max: 255, message: 'description must be at most 255 characters long' }]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} placeholder="What this network is for" />
        </Form.Item>
        {formError && <Alert type="error" showIcon message={formError.message} role="alert" />}
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
