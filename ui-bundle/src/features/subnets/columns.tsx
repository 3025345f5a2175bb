import { Tag, Tooltip } from 'antd';
import { Link } from 'react-router-dom';
import type { TableProps } from 'antd';
import type { Subnet } from '../../api/types';
import { ResourceId, StateTag } from '../../components/format';
import { usableAddresses } from '../../lib/cidr';

export function subnetColumns(options: { showVpc?: boolean } = {}): NonNullable<TableProps<Subnet>['columns']> {
  return [
    { title: 'Name', dataIndex: 'name', render: (name: string) => <strong>{name}</strong> },
    { title: 'Subnet ID', dataIndex: 'id', render: (id: string) => <ResourceId id={id} /> },
    ...(options.showVpc
      ? [
          {
            title: 'VPC',
            dataIndex: 'vpc_id',
            render: (id: string) => (
              <Link to={`/vpcs/${id}`} className="mono">
                {id.slice(0, 8)}
              </Link>
            ),
          },
        ]
      : []),
    { title: 'IPv4 CIDR', dataIndex: 'cidr_block', render: (cidr: string) => <span className="mono">{cidr}</span> },
    {
      title: 'Available IPs',
      dataIndex: 'available_ip_address_count',
      align: 'right' as const,
      render: (count: number, s: Subnet) => {
        const total = usableAddresses(s.cidr_block);
        return (
          <Tooltip title={total !== null ? `${total - count} of ${total} usable addresses in use` : undefined}>
            <span className="tabular">{count.toLocaleString()}</span>
          </Tooltip>
        );
      },
    },
    { title: 'Zone', dataIndex: 'availability_zone' },
    {
      title: 'Type',
      dataIndex: 'is_public',
      render: (pub: boolean, s: Subnet) => (
        <>
          <Tag color={pub ? 'blue' : 'default'}>{pub ? 'public' : 'private'}</Tag>
          {s.map_public_ip_on_launch && (
            <Tooltip title="Instances get a public IP at launch">
              <Tag>auto public IP</Tag>
            </Tooltip>
          )}
        </>
      ),
    },
    { title: 'State', dataIndex: 'state', render: (state: string) => <StateTag state={state} /> },
  ];
}
