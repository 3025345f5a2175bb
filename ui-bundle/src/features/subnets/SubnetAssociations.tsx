import { Button, Flex, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import type { Subnet } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { AnyError } from '../../api/errors';
import { useListSubnetsQuery } from './api';

interface Props {
  vpcId: string;
  /** Subnets explicitly associated. */
  subnetIds: string[];
  /** What subnets without an association use, to explain the empty list. */
  emptyText: string;
  associate: (subnetId: string) => Promise<unknown>;
  /** Absent when an association can only be moved, not ended (network ACLs). */
  disassociate?: (subnetId: string) => Promise<unknown>;
}

/** The subnets of a VPC explicitly using a route table or network ACL, and a way to add one. */
export function SubnetAssociations({ vpcId, subnetIds, emptyText, associate, disassociate }: Props) {
  const subnets = useListSubnetsQuery({ vpc_id: vpcId, limit: 1000 });
  const [choice, setChoice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AnyError>();
  const byId = new Map((subnets.data?.items ?? []).map((s) => [s.id, s]));
  const rows = subnetIds.map((id) => byId.get(id) ?? ({ id, name: id.slice(0, 8), cidr_block: '' } as Subnet));
  const others = (subnets.data?.items ?? []).filter((s) => !subnetIds.includes(s.id));

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      setChoice(undefined);
    } catch (e) {
      setError(e as AnyError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {error && <ErrorAlert error={error} style={{ marginBottom: 12 }} />}
      <Table<Subnet>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={rows}
        locale={{ emptyText }}
        columns={[
          { title: 'Subnet', dataIndex: 'name', render: (n: string) => <strong>{n}</strong> },
          { title: 'IPv4 CIDR', dataIndex: 'cidr_block', render: (c: string) => <span className="mono">{c}</span> },
          ...(disassociate
            ? [
                {
                  title: '',
                  key: 'a',
                  align: 'right' as const,
                  render: (_: unknown, s: Subnet) => (
                    <Button size="small" type="text" danger disabled={busy} onClick={() => run(() => disassociate(s.id))}>
                      Disassociate
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Flex gap={8} style={{ marginTop: 12 }} align="center">
        <Select
          style={{ minWidth: 260 }}
          placeholder={others.length ? 'Choose a subnet of this VPC' : 'No other subnet in this VPC'}
          value={choice}
          onChange={setChoice}
          disabled={!others.length}
          options={others.map((s) => ({ value: s.id, label: `${s.name} (${s.cidr_block})` }))}
          aria-label="Subnet to associate"
        />
        <Button disabled={!choice} loading={busy} onClick={() => choice && run(() => associate(choice))}>
          Associate
        </Button>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          The subnet moves here from what it used before.
        </Typography.Text>
      </Flex>
    </>
  );
}
