import { Alert, App, Button, Card, Col, Descriptions, Flex, Form, Input, Row, Select, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined, ReloadOutlined, RocketOutlined } from '@ant-design/icons';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { PageHeader } from '../../components/PageHeader';
import { checkRule } from '../../components/forms';
import { formatMiB } from '../../components/format';
import { useListImagesQuery } from '../images/api';
import { useListInstanceTypesQuery } from '../instanceTypes/api';
import { useListVpcsQuery } from '../vpcs/api';
import { useListSubnetsQuery } from '../subnets/api';
import { useListSecurityGroupsQuery } from '../securityGroups/api';
import { useListKeyPairsQuery } from '../keyPairs/api';
import { useLaunchInstanceMutation } from './api';
import { computeError, type ComputeError } from './errors';
import {
  buildLaunchRequest,
  defaultGroups,
  defaultImage,
  defaultInstanceType,
  isBootScript,
  launchErrors,
  tagsError,
  userDataError,
  type LaunchValues,
} from './launch';

const FIELDS = ['name', 'image_id', 'instance_type', 'vpc_id', 'subnet_id', 'security_group_ids', 'key_name', 'user_data'] as const;

function Section({ n, title, children, extra }: { n: number; title: string; children: React.ReactNode; extra?: React.ReactNode }) {
  return (
    <Card
      className="section-card"
      size="small"
      title={
        <Space>
          <span className="step-number">{n}</span>
          {title}
        </Space>
      }
      extra={extra}
    >
      {children}
    </Card>
  );
}

/** Launch an instance: image, type, network, access, boot script, name and tags, on one page. */
export function LaunchInstancePage() {
  const [form] = Form.useForm<LaunchValues>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [launch, launching] = useLaunchInstanceMutation();
  const [formError, setFormError] = useState<ComputeError>();

  const images = useListImagesQuery({ limit: 1000 });
  const types = useListInstanceTypesQuery({ limit: 1000 });
  const vpcs = useListVpcsQuery({ limit: 1000 });
  const keyPairs = useListKeyPairsQuery({ limit: 1000 });
  const vpcId = Form.useWatch('vpc_id', form);
  const subnets = useListSubnetsQuery({ vpc_id: vpcId, limit: 1000 }, { skip: !vpcId });
  const groups = useListSecurityGroupsQuery({ vpc_id: vpcId, limit: 1000 }, { skip: !vpcId });
  const values = Form.useWatch([], form) as LaunchValues | undefined;

  // Defaults, once their lists have arrived: busybox, the smallest type, the VPC asked for (or the first).
  useEffect(() => {
    if (images.data && !form.getFieldValue('image_id')) {
      form.setFieldValue('image_id', defaultImage(images.data.items)?.id);
    }
  }, [images.data, form]);
  useEffect(() => {
    if (types.data && !form.getFieldValue('instance_type')) {
      form.setFieldValue('instance_type', defaultInstanceType(types.data.items)?.name);
    }
  }, [types.data, form]);
  useEffect(() => {
    if (vpcs.data && !form.getFieldValue('vpc_id')) {
      const asked = params.get('vpc_id');
      const vpc = vpcs.data.items.find((v) => v.id === asked) ?? vpcs.data.items[0];
      form.setFieldValue('vpc_id', vpc?.id);
    }
  }, [vpcs.data, form, params]);
  // A VPC's subnets and groups: its first subnet (or the one asked for) and its default group.
  useEffect(() => {
    const items = subnets.data?.items.filter((s) => s.vpc_id === vpcId);
    if (!items) {
      return;
    }
    const current = form.getFieldValue('subnet_id') as string | undefined;
    if (!items.some((s) => s.id === current)) {
      const asked = params.get('subnet_id');
      form.setFieldValue('subnet_id', (items.find((s) => s.id === asked) ?? items[0])?.id);
    }
  }, [subnets.data, vpcId, form, params]);
  useEffect(() => {
    const items = groups.data?.items.filter((g) => g.vpc_id === vpcId);
    if (!items) {
      return;
    }
    const current = (form.getFieldValue('security_group_ids') as string[] | undefined) ?? [];
    const ofVpc = current.filter((id) => items.some((g) => g.id === id));
    form.setFieldValue('security_group_ids', ofVpc.length > 0 ? ofVpc : defaultGroups(items, vpcId));
  }, [groups.data, vpcId, form]);

  const imageOptions = (images.data?.items ?? []).map((i) => ({
    value: i.id,
    label: (
      <Space>
        <strong>{i.name}</strong>
        <Typography.Text type="secondary">
          {i.os} {i.version} · {i.format}
        </Typography.Text>
        {i.is_public ? <Tag color="blue">public</Tag> : <Tag>private</Tag>}
      </Space>
    ),
    text: i.name,
  }));
  const typeOptions = (types.data?.items ?? []).map((t) => ({
    value: t.name,
    label: `${t.name} · ${t.cpu} vCPU${t.cpu === 1 ? '' : 's'} · ${formatMiB(t.memory)}`,
  }));
  const vpcOptions = (vpcs.data?.items ?? []).map((v) => ({ value: v.id, label: `${v.name} (${v.cidr_block})` }));
  const subnetOptions = (subnets.data?.items ?? [])
    .filter((s) => s.vpc_id === vpcId)
    .map((s) => ({ value: s.id, label: `${s.name} (${s.cidr_block}) · ${s.available_ip_address_count} free` }));
  const groupOptions = (groups.data?.items ?? [])
    .filter((g) => g.vpc_id === vpcId)
    .map((g) => ({ value: g.id, label: g.is_default ? `${g.name} (default)` : g.name }));
  const keyOptions = (keyPairs.data?.items ?? []).map((k) => ({ value: k.name, label: k.name }));

  const chosenType = types.data?.items.find((t) => t.name === values?.instance_type);
  const chosenImage = images.data?.items.find((i) => i.id === values?.image_id);
  const chosenSubnet = subnets.data?.items.find((s) => s.id === values?.subnet_id);
  const noVpc = vpcs.data && vpcs.data.items.length === 0;
  const noSubnet = !!vpcId && subnets.data && subnetOptions.length === 0;

  const submit = async () => {
    let raw: LaunchValues;
    try {
      raw = await form.validateFields();
    } catch {
      return; // the form shows what is wrong
    }
    const all = { ...form.getFieldsValue(true), ...raw } as LaunchValues;
    const problems = launchErrors(all);
    if (problems.length > 0) {
      form.setFields(problems.map((p) => ({ name: p.field, errors: [p.message] })));
      return;
    }
    setFormError(undefined);
    try {
      const instance = await launch(buildLaunchRequest(all)).unwrap();
      message.success(`Instance ${instance.name || instance.id.slice(0, 8)} is launching`);
      navigate(`/instances/${instance.id}`);
    } catch (error) {
      const e = computeError(error as never);
      if (e?.field && (FIELDS as readonly string[]).includes(e.field)) {
        form.setFields([{ name: e.field as keyof LaunchValues, errors: [e.message] }]);
      }
      setFormError(e);
    }
  };

  const summary = useMemo(
    () => [
      { key: 'image', label: 'Image', children: chosenImage?.name ?? '—' },
      {
        key: 'type',
        label: 'Type',
        children: chosenType ? `${chosenType.name} (${chosenType.cpu} vCPU, ${formatMiB(chosenType.memory)})` : '—',
      },
      { key: 'subnet', label: 'Subnet', children: chosenSubnet ? `${chosenSubnet.name} (${chosenSubnet.cidr_block})` : '—' },
      { key: 'groups', label: 'Security groups', children: String(values?.security_group_ids?.length ?? 0) },
      { key: 'key', label: 'Key pair', children: values?.key_name || 'none' },
      { key: 'boot', label: 'Boot script', children: isBootScript(values?.user_data) ? 'yes' : 'no' },
    ],
    [chosenImage, chosenType, chosenSubnet, values],
  );

  return (
    <>
      <PageHeader
        breadcrumb={[{ title: 'Instances', to: '/instances' }, { title: 'Launch' }]}
        title="Launch instance"
        subtitle="Pick an image and a size, place the instance in a subnet, and say who may reach it."
      />
      <Form<LaunchValues>
        form={form}
        layout="vertical"
        requiredMark="optional"
        initialValues={{ security_group_ids: [], tags: [] }}
        onFinish={submit}
        aria-label="Launch instance"
      >
        <Row gutter={16}>
          <Col xs={24} lg={16}>
            <Section n={1} title="Image and instance type">
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item label="Image" name="image_id" rules={[{ required: true, message: 'Pick an image to boot from.' }]}>
                    <Select
                      loading={images.isLoading}
                      options={imageOptions}
                      showSearch
                      optionFilterProp="text"
                      placeholder="Pick an image"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    label="Instance type"
                    name="instance_type"
                    rules={[{ required: true, message: 'Pick an instance type.' }]}
                    extra="Virtual CPUs and memory reserved on a worker."
                  >
                    <Select loading={types.isLoading} options={typeOptions} placeholder="Pick a size" />
                  </Form.Item>
                </Col>
              </Row>
            </Section>
            <Section n={2} title="Network">
              {noVpc && (
                <Alert
                  type="info"
                  showIcon
                  style={{ marginBottom: 12 }}
                  message="You have no VPC yet"
                  description={
                    <>
                      Instances live in a subnet of a VPC. <Link to="/vpcs">Create a VPC</Link> and a subnet first.
                    </>
                  }
                />
              )}
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item label="VPC" name="vpc_id" rules={[{ required: true, message: 'Pick the VPC to launch into.' }]}>
                    <Select
                      loading={vpcs.isLoading}
                      options={vpcOptions}
                      placeholder="Pick a VPC"
                      onChange={() => form.setFieldsValue({ subnet_id: undefined })}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    label="Subnet"
                    name="subnet_id"
                    rules={[{ required: true, message: 'Pick a subnet of the VPC.' }]}
                    extra={
                      noSubnet ? (
                        <>
                          This VPC has no subnet. <Link to={`/vpcs/${vpcId}`}>Add one</Link>.
                        </>
                      ) : chosenSubnet?.map_public_ip_on_launch ? (
                        'Instances here also get a public address.'
                      ) : undefined
                    }
                  >
                    <Select loading={subnets.isFetching} options={subnetOptions} placeholder="Pick a subnet" disabled={!vpcId} />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item
                label="Security groups"
                name="security_group_ids"
                extra="Groups of this VPC whose rules let traffic reach the instance. The VPC's default group is preselected."
              >
                <Select mode="multiple" loading={groups.isFetching} options={groupOptions} placeholder="The VPC's default group" disabled={!vpcId} />
              </Form.Item>
            </Section>
            <Section n={3} title="Access and boot">
              <Form.Item
                label="Key pair"
                extra={
                  <>
                    Its public key is written to /root/.ssh/authorized_keys. No key pair yet?{' '}
                    <Link to="/key-pairs" target="_blank" rel="noreferrer">
                      Create one
                    </Link>
                    , then reload the list.
                  </>
                }
              >
                <Flex gap={8}>
                  <Form.Item name="key_name" noStyle>
                    <Select
                      aria-label="Key pair"
                      allowClear
                      loading={keyPairs.isFetching}
                      options={keyOptions}
                      placeholder="No key pair"
                      style={{ flex: 1 }}
                    />
                  </Form.Item>
                  <Button icon={<ReloadOutlined />} aria-label="Reload key pairs" onClick={() => keyPairs.refetch()} />
                </Flex>
              </Form.Item>
              <Form.Item
                label="User data"
                name="user_data"
                rules={[checkRule((v) => userDataError(v))]}
                extra="Handed to the instance at boot. A script starting with #! (e.g. #!/bin/sh) runs when the instance starts. At most 16 KiB."
              >
                <Input.TextArea className="mono" autoSize={{ minRows: 3, maxRows: 12 }} placeholder={'#!/bin/sh\necho hello > /tmp/hello'} />
              </Form.Item>
            </Section>
            <Section n={4} title="Name and tags">
              <Form.Item label="Name" name="name" rules={[{ max: 255, message: 'The name is at most 255 characters long.' }]}>
                <Input placeholder="e.g. web-1" />
              </Form.Item>
              <Form.List
                name="tags"
                rules={[
                  {
                    validator: async (_, tags: LaunchValues['tags']) => {
                      const problem = tagsError(tags);
                      if (problem) {
                        throw new Error(problem);
                      }
                    },
                  },
                ]}
              >
                {(fields, { add, remove }, { errors }) => (
                  <>
                    <Typography.Text>Tags</Typography.Text>
                    {fields.map((field) => (
                      <Flex key={field.key} gap={8} style={{ marginTop: 8 }}>
                        <Form.Item name={[field.name, 'key']} noStyle>
                          <Input placeholder="Key" aria-label="Tag key" />
                        </Form.Item>
                        <Form.Item name={[field.name, 'value']} noStyle>
                          <Input placeholder="Value" aria-label="Tag value" />
                        </Form.Item>
                        <Button icon={<DeleteOutlined />} aria-label="Remove tag" onClick={() => remove(field.name)} />
                      </Flex>
                    ))}
                    <div style={{ marginTop: 8 }}>
                      <Button icon={<PlusOutlined />} onClick={() => add({ key: '', value: '' })}>
                        Add tag
                      </Button>
                    </div>
                    <Form.ErrorList errors={errors} />
                  </>
                )}
              </Form.List>
            </Section>
          </Col>
          <Col xs={24} lg={8}>
            <Card title="Summary" className="section-card sticky-card">
              <Descriptions column={1} size="small" items={summary} />
              {formError && (
                <Alert
                  type="error"
                  showIcon
                  role="alert"
                  style={{ marginTop: 12 }}
                  message={formError.message}
                  description={formError.detail}
                />
              )}
              <Flex gap={8} style={{ marginTop: 16 }}>
                <Button type="primary" htmlType="submit" icon={<RocketOutlined />} loading={launching.isLoading} disabled={noVpc}>
                  Launch
                </Button>
                <Button onClick={() => navigate('/instances')}>Cancel</Button>
              </Flex>
            </Card>
          </Col>
        </Row>
      </Form>
    </>
  );
}
