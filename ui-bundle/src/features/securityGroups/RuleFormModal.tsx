import { Alert, Form, Input, InputNumber, Modal, Radio, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import type { Direction, Protocol, SecurityGroup } from '../../api/types';
import type { ConsoleError } from '../../api/errors';
import { applyApiError, checkRule } from '../../components/forms';
import { RULE_PRESETS, portsError, sourceCidrError } from '../../lib/rules';
import { useAddSecurityGroupRuleMutation, useListSecurityGroupsQuery } from './api';

interface Values {
  preset?: string;
  protocol: Protocol;
  from_port?: number;
  to_port?: number;
  source_kind: 'cidr' | 'group';
  cidr?: string;
  group?: string;
  description?: string;
}

interface Props {
  open: boolean;
  group: SecurityGroup;
  direction: Direction;
  onClose: () => void;
  onSaved?: () => void;
}

/** Adds an inbound or outbound rule: protocol, ports and a source CIDR block or security group. */
export function RuleFormModal({ open, group, direction, onClose, onSaved }: Props) {
  const [form] = Form.useForm<Values>();
  const [addRule, adding] = useAddSecurityGroupRuleMutation();
  const [formError, setFormError] = useState<ConsoleError>();
  // The form is destroyed on close and starts from its initial values on open (never reset while open:
  // that would wipe what a quick user already typed during the opening animation).
  useEffect(() => {
    if (open) {
      setFormError(undefined);
    }
  }, [open]);
  const groups = useListSecurityGroupsQuery({ vpc_id: group.vpc_id, limit: 1000 }, { skip: !open });
  const protocol = Form.useWatch('protocol', form) ?? 'tcp';
  const sourceKind = Form.useWatch('source_kind', form) ?? 'cidr';
  const peer = direction === 'inbound' ? 'Source' : 'Destination';

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setFormError(undefined);
    try {
      await addRule({
        groupId: group.id,
        direction,
        protocol: v.protocol,
        from_port: v.protocol === 'all' ? undefined : v.from_port ?? (v.protocol === 'icmp' ? -1 : undefined),
        to_port: v.protocol === 'all' ? undefined : v.to_port ?? (v.protocol === 'icmp' ? -1 : undefined),
        source: v.source_kind === 'cidr' ? (v.cidr ?? '').trim() : (v.group ?? ''),
        description: v.description?.trim() || undefined,
      }).unwrap();
      onSaved?.();
      onClose();
    } catch (error) {
      const e = applyApiError(form, error as never, ['protocol', 'from_port', 'to_port', 'description']);
      if (e && /source/i.test(e.message)) {
        form.setFields([{ name: sourceKind === 'cidr' ? 'cidr' : 'group', errors: [e.message] }]);
      } else {
        setFormError(e);
      }
    }
  };

  return (
    <Modal
      open={open}
      title={`Add ${direction} rule to ${group.name}`}
      okText="Add rule"
      onOk={submit}
      confirmLoading={adding.isLoading}
      onCancel={onClose}
      destroyOnHidden
      width={560}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark="optional"
        preserve={false}
        initialValues={{
          protocol: 'tcp',
          from_port: 22,
          to_port: 22,
          source_kind: 'cidr',
          cidr: direction === 'inbound' ? '' : '0.0.0.0/0',
        }}
        onFinish={submit}
      >
        <Form.Item label="Type" name="preset">
          <Select
            placeholder="Custom"
            allowClear
            options={RULE_PRESETS.map((p) => ({ value: p.label, label: p.label }))}
            onChange={(label?: string) => {
              const preset = RULE_PRESETS.find((p) => p.label === label);
              if (preset) {
                form.setFieldsValue({ protocol: preset.protocol, from_port: preset.from_port, to_port: preset.to_port });
              }
            }}
          />
        </Form.Item>
        <Form.Item label="Protocol" name="protocol" rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'tcp', label: 'TCP' },
              { value: 'udp', label: 'UDP' },
              { value: 'icmp', label: 'ICMP' },
              { value: 'all', label: 'All' },
            ]}
            onChange={(e) => {
              const p = e.target.value as Protocol;
              form.setFieldValue('preset', undefined);
              if (p === 'icmp') {
                form.setFieldsValue({ from_port: -1, to_port: -1 });
              } else if (p === 'tcp' || p === 'udp') {
                form.setFieldsValue({ from_port: undefined, to_port: undefined });
              }
            }}
          />
        </Form.Item>
        {protocol !== 'all' && (
          <Space align="start" size={12} style={{ display: 'flex' }}>
            <Form.Item
              label={protocol === 'icmp' ? 'ICMP type' : 'From port'}
              name="from_port"
              dependencies={['protocol', 'to_port']}
              extra={protocol === 'icmp' ? '-1 for all types' : undefined}
              rules={[
                ({ getFieldValue }) => ({
                  validator: () => {
                    const message = portsError(getFieldValue('protocol'), getFieldValue('from_port'), getFieldValue('to_port'));
                    return message ? Promise.reject(new Error(message)) : Promise.resolve();
                  },
                }),
              ]}
            >
              <InputNumber min={-1} max={65535} precision={0} style={{ width: 160 }} placeholder={protocol === 'icmp' ? '-1' : '22'} />
            </Form.Item>
            <Form.Item
              label={protocol === 'icmp' ? 'ICMP code' : 'To port'}
              name="to_port"
              extra={protocol === 'icmp' ? '-1 for all codes' : undefined}
            >
              <InputNumber min={-1} max={65535} precision={0} style={{ width: 160 }} placeholder={protocol === 'icmp' ? '-1' : '22'} />
            </Form.Item>
          </Space>
        )}
        <Form.Item label={peer} name="source_kind">
          <Radio.Group
            options={[
              { value: 'cidr', label: 'CIDR block' },
              { value: 'group', label: 'Security group' },
            ]}
          />
        </Form.Item>
        {sourceKind === 'cidr' ? (
          <Form.Item
            name="cidr"
            validateFirst
            extra="0.0.0.0/0 means anywhere."
            rules={[{ required: true, message: `Enter a CIDR block, e.g. 203.0.113.0/24 or 0.0.0.0/0` }, checkRule(sourceCidrError)]}
          >
            <Input className="mono" placeholder="0.0.0.0/0" />
          </Form.Item>
        ) : (
          <Form.Item name="group" rules={[{ required: true, message: 'Choose a security group of this VPC' }]} extra="Traffic from instances in that group.">
            <Select
              placeholder="Choose a group"
              loading={groups.isLoading}
              options={(groups.data?.items ?? []).map((g) => ({ value: g.id, label: `${g.name} (${g.id.slice(0, 8)})` }))}
            />
          </Form.Item>
        )}
        <Form.Item label="Description" name="description" rules={[{ max: 255, message: 'description must be at most 255 characters long' }]}>
          <Input placeholder="e.g. SSH from the office" />
        </Form.Item>
        {formError && <Alert type="error" showIcon message={formError.message} role="alert" />}
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
