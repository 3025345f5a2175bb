import { Alert, Form, Input, Modal, Radio, Select } from 'antd';
import { useEffect, useState } from 'react';
import type { RouteTable } from '../../api/types';
import type { ConsoleError } from '../../api/errors';
import { applyApiError, checkRule } from '../../components/forms';
import { sourceCidrError } from '../../lib/rules';
import { useListInternetGatewaysQuery } from '../internetGateways/api';
import { useCreateRouteMutation } from './api';

interface Values {
  destination_cidr: string;
  target_type: 'igw' | 'nat' | 'instance';
  target_id: string;
}

export function RouteFormModal({ open, table, onClose, onSaved }: { open: boolean; table: RouteTable; onClose: () => void; onSaved?: () => void }) {
  const [form] = Form.useForm<Values>();
  const [create, creating] = useCreateRouteMutation();
  const [formError, setFormError] = useState<ConsoleError>();
  const gateways = useListInternetGatewaysQuery({ limit: 1000 }, { skip: !open });
  const attached = (gateways.data?.items ?? []).filter((g) => g.vpc_id === table.vpc_id);
  const targetType = Form.useWatch('target_type', form) ?? 'igw';

  useEffect(() => {
    if (open) {
      setFormError(undefined);
    }
  }, [open]);

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    try {
      await create({ routeTableId: table.id, destination_cidr: v.destination_cidr.trim(), target_type: v.target_type, target_id: v.target_id.trim() }).unwrap();
      onSaved?.();
      onClose();
    } catch (error) {
      setFormError(applyApiError(form, error as never, ['destination_cidr', 'target_type', 'target_id']));
    }
  };

  return (
    <Modal open={open} title={`Add a route to ${table.name || 'the route table'}`} okText="Add route" onOk={submit} confirmLoading={creating.isLoading} onCancel={onClose} destroyOnHidden>
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        requiredMark={false}
        initialValues={{ destination_cidr: '0.0.0.0/0', target_type: 'igw', target_id: attached[0]?.id }}
        onFinish={submit}
      >
        <Form.Item label="Destination" name="destination_cidr" validateFirst extra="0.0.0.0/0 sends all traffic not for the VPC itself." rules={[checkRule(sourceCidrError)]}>
          <Input className="mono" />
        </Form.Item>
        <Form.Item label="Target" name="target_type">
          <Radio.Group
            optionType="button"
            options={[
              { value: 'igw', label: 'Internet gateway' },
              { value: 'nat', label: 'NAT gateway' },
              { value: 'instance', label: 'Instance' },
            ]}
            onChange={() => form.setFieldValue('target_id', undefined)}
          />
        </Form.Item>
        {targetType === 'igw' ? (
          <Form.Item
            name="target_id"
            rules={[{ required: true, message: 'Choose the internet gateway attached to this VPC' }]}
            extra={attached.length === 0 ? 'No gateway is attached to this VPC: attach one on the VPC page first.' : undefined}
          >
            <Select
              placeholder="Choose a gateway"
              loading={gateways.isLoading}
              options={attached.map((g) => ({ value: g.id, label: `${g.name || 'gateway'} (${g.id.slice(0, 8)})` }))}
            />
          </Form.Item>
        ) : (
          <Form.Item name="target_id" rules={[{ required: true, whitespace: true, message: `Enter the id of the ${targetType === 'nat' ? 'NAT gateway' : 'instance'}` }]}>
            <Input className="mono" placeholder="id" />
          </Form.Item>
        )}
        {formError && <Alert type="error" showIcon message={formError.message} role="alert" />}
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
