import { Alert, Form, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import type { InternetGateway, Vpc } from '../../api/types';
import { toConsoleError, type ConsoleError } from '../../api/errors';
import { useListVpcsQuery } from '../vpcs/api';
import { useAttachInternetGatewayMutation, useCreateInternetGatewayMutation, useListInternetGatewaysQuery } from './api';

const NEW_GATEWAY = '__new__';

interface Props {
  open: boolean;
  /** Attach this gateway to a VPC the user chooses... */
  gateway?: InternetGateway;
  /** ...or a gateway the user chooses (or a new one) to this VPC. */
  vpc?: Vpc;
  onClose: () => void;
  onAttached?: (gateway: InternetGateway) => void;
}

export function AttachGatewayModal({ open, gateway, vpc, onClose, onAttached }: Props) {
  const [choice, setChoice] = useState<string>();
  const [error, setError] = useState<ConsoleError>();
  const [attach, attaching] = useAttachInternetGatewayMutation();
  const [create, creating] = useCreateInternetGatewayMutation();
  const vpcs = useListVpcsQuery({ limit: 1000 }, { skip: !open || !gateway });
  const gateways = useListInternetGatewaysQuery({ limit: 1000 }, { skip: !open || !vpc });
  const free = (gateways.data?.items ?? []).filter((g) => !g.vpc_id);

  useEffect(() => {
    if (open) {
      setError(undefined);
      setChoice(vpc ? NEW_GATEWAY : undefined);
    }
  }, [open, vpc]);

  const submit = async () => {
    if (!choice) {
      setError({ status: 0, code: 'Choose', message: gateway ? 'Choose the VPC to attach the gateway to' : 'Choose a gateway' });
      return;
    }
    setError(undefined);
    try {
      let attached: InternetGateway;
      if (gateway) {
        attached = await attach({ id: gateway.id, vpc_id: choice }).unwrap();
      } else {
        const id = choice === NEW_GATEWAY ? (await create({ name: `${vpc!.name}-igw` }).unwrap()).id : choice;
        attached = await attach({ id, vpc_id: vpc!.id }).unwrap();
      }
      onAttached?.(attached);
      onClose();
    } catch (e) {
      setError(toConsoleError(e as never));
    }
  };

  return (
    <Modal
      open={open}
      title={gateway ? `Attach ${gateway.name || 'gateway'} to a VPC` : `Attach an internet gateway to ${vpc?.name}`}
      okText="Attach"
      onOk={submit}
      confirmLoading={attaching.isLoading || creating.isLoading}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form layout="vertical">
        {gateway ? (
          <Form.Item label="VPC" extra="A VPC has at most one internet gateway.">
            <Select
              value={choice}
              onChange={setChoice}
              placeholder="Choose a VPC"
              loading={vpcs.isLoading}
              options={(vpcs.data?.items ?? []).map((v) => ({ value: v.id, label: `${v.name} (${v.cidr_block})` }))}
            />
          </Form.Item>
        ) : (
          <Form.Item label="Gateway" extra="Routes to the internet then point at this gateway.">
            <Select
              value={choice}
              onChange={setChoice}
              loading={gateways.isLoading}
              options={[
                { value: NEW_GATEWAY, label: 'Create a new gateway' },
                ...free.map((g) => ({ value: g.id, label: `${g.name || 'unnamed'} (${g.id.slice(0, 8)})` })),
              ]}
            />
          </Form.Item>
        )}
      </Form>
      {error && <Alert type="error" showIcon message={error.message} role="alert" />}
    </Modal>
  );
}
