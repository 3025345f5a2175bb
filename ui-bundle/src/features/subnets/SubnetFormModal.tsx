import { Alert, Form, Input, Modal, Select, Switch, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { Subnet, Vpc } from '../../api/types';
import type { ConsoleError } from '../../api/errors';
import { applyApiError, checkRule } from '../../components/forms';
import { subnetCidrError, suggestSubnet, usableAddresses } from '../../lib/cidr';
import { useListVpcsQuery } from '../vpcs/api';
import { useCreateSubnetMutation, useUpdateSubnetMutation } from './api';

interface Values {
  vpc_id: string;
  name: string;
  cidr_block: string;
  availability_zone?: string;
  is_public: boolean;
  map_public_ip_on_launch: boolean;
}

const FIELDS = ['vpc_id', 'name', 'cidr_block', 'availability_zone', 'is_public', 'map_public_ip_on_launch'] as const;

interface Props {
  open: boolean;
  /** The VPC the subnet goes in; absent to let the user choose. */
  vpc?: Vpc;
  /** Blocks of the VPC's subnets already known, to suggest a free one. */
  taken?: string[];
  /** The subnet to edit; absent to create one. */
  subnet?: Subnet;
  onClose: () => void;
  onSaved?: (subnet: Subnet) => void;
}

export function SubnetFormModal({ open, vpc, taken = [], subnet, onClose, onSaved }: Props) {
  const [form] = Form.useForm<Values>();
  const [create, creating] = useCreateSubnetMutation();
  const [update, updating] = useUpdateSubnetMutation();
  const [formError, setFormError] = useState<ConsoleError>();
  // The form is destroyed on close and starts from its initial values on open (never reset while open:
  // that would wipe what a quick user already typed during the opening animation).
  useEffect(() => {
    if (open) {
      setFormError(undefined);
    }
  }, [open]);
  const editing = !!subnet;
  const vpcs = useListVpcsQuery({ limit: 1000 }, { skip: !!vpc || editing || !open });
  const chosenVpcId = Form.useWatch('vpc_id', form);
  const cidr = Form.useWatch('cidr_block', form);
  const chosenVpc = vpc ?? vpcs.data?.items.find((v) => v.id === chosenVpcId);
  const usable = useMemo(() => (cidr && !subnetCidrError(cidr, chosenVpc?.cidr_block) ? usableAddresses(cidr) : null), [cidr, chosenVpc]);

  const submit = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setFormError(undefined);
    try {
      const saved = editing
        ? await update({
            id: subnet.id,
            name: values.name.trim(),
            is_public: values.is_public,
            map_public_ip_on_launch: values.map_public_ip_on_launch,
          }).unwrap()
        : await create({
            vpc_id: vpc?.id ?? values.vpc_id,
            name: values.name.trim(),
            cidr_block: values.cidr_block.trim(),
            availability_zone: values.availability_zone?.trim() || undefined,
            is_public: values.is_public,
            map_public_ip_on_launch: values.map_public_ip_on_launch,
          }).unwrap();
      onSaved?.(saved);
      onClose();
    } catch (error) {
      setFormError(applyApiError(form, error as never, FIELDS));
    }
  };

  const initial: Partial<Values> = subnet
    ? { ...subnet }
    : {
        vpc_id: vpc?.id,
        name: '',
        cidr_block: vpc ? (suggestSubnet(vpc.cidr_block, taken) ?? '') : '',
        is_public: true,
        map_public_ip_on_launch: false,
      };

  return (
    <Modal
      open={open}
      title={editing ? `Edit subnet ${subnet.name}` : vpc ? `Create subnet in ${vpc.name}` : 'Create subnet'}
      okText={editing ? 'Save' : 'Create subnet'}
      onOk={submit}
      confirmLoading={creating.isLoading || updating.isLoading}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" requiredMark="optional" preserve={false} initialValues={initial} onFinish={submit}>
        {!vpc && !editing && (
          <Form.Item label="VPC" name="vpc_id" rules={[{ required: true, message: 'Choose the VPC the subnet belongs to' }]}>
            <Select
              placeholder="Choose a VPC"
              loading={vpcs.isLoading}
              showSearch
              optionFilterProp="label"
              options={(vpcs.data?.items ?? []).map((v) => ({ value: v.id, label: `${v.name} (${v.cidr_block})` }))}
              onChange={(id: string) => {
                const v = vpcs.data?.items.find((x) => x.id === id);
                if (v && !form.getFieldValue('cidr_block')) {
                  form.setFieldValue('cidr_block', suggestSubnet(v.cidr_block, []) ?? '');
                }
              }}
              notFoundContent={vpcs.isLoading ? 'Loading…' : 'No VPCs: create one first'}
            />
          </Form.Item>
        )}
        <Form.Item
          label="Name"
          name="name"
          rules={[
            { required: true, whitespace: true, message: 'Give the subnet a name' },
            { max: 255, message: 'name must be at most 255 characters long' },
          ]}
        >
          <Input placeholder="e.g. web" autoFocus />
        </Form.Item>
        <Form.Item
          label="IPv4 CIDR block"
          name="cidr_block"
          required={!editing}
          validateFirst
          dependencies={['vpc_id']}
          extra={
            editing
              ? "A subnet's block cannot change."
              : chosenVpc
                ? `Inside the VPC's block ${chosenVpc.cidr_block}, /16 to /28, not overlapping another subnet.${usable !== null ? ` ${usable} addresses for instances.` : ''}`
                : 'Inside the VPC’s block, /16 to /28.'
          }
          rules={editing ? [] : [checkRule((value) => subnetCidrError(value, chosenVpc?.cidr_block))]}
        >
          <Input className="mono" disabled={editing} placeholder="10.0.1.0/24" />
        </Form.Item>
        {!editing && (
          <Form.Item label="Availability zone" name="availability_zone" extra="Leave empty for the platform's default zone.">
            <Input placeholder="default" />
          </Form.Item>
        )}
        <Form.Item name="is_public" label="Public subnet" valuePropName="checked" extra="Public subnets can reach the internet through the VPC's internet gateway.">
          <Switch />
        </Form.Item>
        <Form.Item
          name="map_public_ip_on_launch"
          label="Give instances a public IP at launch"
          valuePropName="checked"
        >
          <Switch />
        </Form.Item>
        {formError && <Alert type="error" showIcon message={formError.message} role="alert" />}
        {!editing && (
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
            Five addresses of every subnet are reserved: the network address, the gateway, two for the platform and the broadcast address.
          </Typography.Paragraph>
        )}
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
