import { Alert, Form, Input, InputNumber, Modal, Radio, Space } from 'antd';
import { useEffect, useState } from 'react';
import type { Direction, NetworkAcl, Protocol } from '../../api/types';
import type { ConsoleError } from '../../api/errors';
import { applyApiError, checkRule } from '../../components/forms';
import { portsError, sourceCidrError } from '../../lib/rules';
import { useAddNetworkAclEntryMutation } from './api';

interface Values {
  rule_number: number;
  protocol: Protocol;
  from_port?: number;
  to_port?: number;
  cidr_block: string;
  action: 'allow' | 'deny';
}

export function EntryFormModal({ open, acl, direction, onClose, onSaved }: { open: boolean; acl: NetworkAcl; direction: Direction; onClose: () => void; onSaved?: () => void }) {
  const [form] = Form.useForm<Values>();
  const [add, adding] = useAddNetworkAclEntryMutation();
  const [formError, setFormError] = useState<ConsoleError>();
  const protocol = Form.useWatch('protocol', form) ?? 'tcp';
  const used = acl.entries.filter((e) => e.direction === direction).map((e) => e.rule_number);
  const nextNumber = used.length ? Math.min(32766, Math.ceil((Math.max(...used) + 1) / 10) * 10) : 100;

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
      await add({
        aclId: acl.id,
        direction,
        rule_number: v.rule_number,
        protocol: v.protocol,
        from_port: v.protocol === 'all' ? undefined : v.from_port,
        to_port: v.protocol === 'all' ? undefined : v.to_port,
        cidr_block: v.cidr_block.trim(),
        action: v.action,
      }).unwrap();
      onSaved?.();
      onClose();
    } catch (error) {
      setFormError(applyApiError(form, error as never, ['rule_number', 'protocol', 'from_port', 'to_port', 'cidr_block', 'action']));
    }
  };

  return (
    <Modal open={open} title={`Add ${direction} entry to ${acl.name || 'the network ACL'}`} okText="Add entry" onOk={submit} confirmLoading={adding.isLoading} onCancel={onClose} destroyOnHidden>
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        requiredMark={false}
        initialValues={{ rule_number: nextNumber, protocol: 'tcp', from_port: 443, to_port: 443, cidr_block: '0.0.0.0/0', action: 'allow' }}
        onFinish={submit}
      >
        <Form.Item
          label="Rule number"
          name="rule_number"
          extra="Entries are evaluated from the lowest number; the first match decides."
          rules={[
            { required: true, message: 'Give the entry a rule number' },
            { type: 'integer', min: 1, max: 32766, message: 'Rule numbers are between 1 and 32766' },
            { validator: (_, n: number) => (used.includes(n) ? Promise.reject(new Error(`This ACL already has ${direction} rule ${n}`)) : Promise.resolve()) },
          ]}
        >
          <InputNumber min={1} max={32766} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item label="Protocol" name="protocol">
          <Radio.Group
            optionType="button"
            options={[
              { value: 'tcp', label: 'TCP' },
              { value: 'udp', label: 'UDP' },
              { value: 'icmp', label: 'ICMP' },
              { value: 'all', label: 'All' },
            ]}
            onChange={(e) => form.setFieldsValue(e.target.value === 'icmp' ? { from_port: -1, to_port: -1 } : { from_port: undefined, to_port: undefined })}
          />
        </Form.Item>
        {protocol !== 'all' && (
          <Space align="start" size={12} style={{ display: 'flex' }}>
            <Form.Item
              label={protocol === 'icmp' ? 'ICMP type' : 'From port'}
              name="from_port"
              dependencies={['protocol', 'to_port']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: () => {
                    const m = portsError(getFieldValue('protocol'), getFieldValue('from_port'), getFieldValue('to_port'));
                    return m ? Promise.reject(new Error(m)) : Promise.resolve();
                  },
                }),
              ]}
            >
              <InputNumber min={-1} max={65535} precision={0} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item label={protocol === 'icmp' ? 'ICMP code' : 'To port'} name="to_port">
              <InputNumber min={-1} max={65535} precision={0} style={{ width: 160 }} />
            </Form.Item>
          </Space>
        )}
        <Form.Item label={direction === 'inbound' ? 'Source CIDR' : 'Destination CIDR'} name="cidr_block" validateFirst rules={[checkRule(sourceCidrError)]}>
          <Input className="mono" />
        </Form.Item>
        <Form.Item label="Action" name="action">
          <Radio.Group
            options={[
              { value: 'allow', label: 'Allow' },
              { value: 'deny', label: 'Deny' },
            ]}
          />
        </Form.Item>
        {formError && <Alert type="error" showIcon message={formError.message} role="alert" />}
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
