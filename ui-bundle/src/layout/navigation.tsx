import {
  ApartmentOutlined,
  AppstoreOutlined,
  BranchesOutlined,
  CloudServerOutlined,
  DashboardOutlined,
  DeploymentUnitOutlined,
  GlobalOutlined,
  HddOutlined,
  KeyOutlined,
  NodeIndexOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
  PartitionOutlined,
  FileProtectOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

export interface NavItem {
  path: string;
  label: string;
  icon: ReactNode;
}

export interface NavGroup {
  label: string | null;
  adminOnly?: boolean;
  items: NavItem[];
}

/** The console's left navigation: one entry per resource module under src/features. */
export const NAVIGATION: NavGroup[] = [
  { label: null, items: [{ path: '/', label: 'Dashboard', icon: <DashboardOutlined /> }] },
  {
    label: 'Compute',
    items: [
      { path: '/instances', label: 'Instances', icon: <CloudServerOutlined /> },
      { path: '/key-pairs', label: 'Key pairs', icon: <KeyOutlined /> },
      { path: '/images', label: 'Images', icon: <HddOutlined /> },
      { path: '/instance-types', label: 'Instance types', icon: <AppstoreOutlined /> },
    ],
  },
  {
    label: 'Networking',
    items: [
      { path: '/vpcs', label: 'VPCs', icon: <ApartmentOutlined /> },
      { path: '/subnets', label: 'Subnets', icon: <PartitionOutlined /> },
      { path: '/route-tables', label: 'Route tables', icon: <BranchesOutlined /> },
      { path: '/internet-gateways', label: 'Internet gateways', icon: <GlobalOutlined /> },
      { path: '/elastic-ips', label: 'Elastic IPs', icon: <NodeIndexOutlined /> },
    ],
  },
  {
    label: 'Security',
    items: [
      { path: '/security-groups', label: 'Security groups', icon: <SafetyCertificateOutlined /> },
      { path: '/network-acls', label: 'Network ACLs', icon: <FileProtectOutlined /> },
    ],
  },
  {
    label: 'Administration',
    adminOnly: true,
    items: [
      { path: '/admin/users', label: 'Users', icon: <TeamOutlined /> },
      { path: '/admin/workers', label: 'Workers', icon: <DeploymentUnitOutlined /> },
    ],
  },
];

/** The navigation entry a path belongs to (the longest matching prefix). */
export function activeNavPath(pathname: string): string {
  let best = '/';
  for (const group of NAVIGATION) {
    for (const item of group.items) {
      if (item.path !== '/' && (pathname === item.path || pathname.startsWith(`${item.path}/`)) && item.path.length > best.length) {
        best = item.path;
      }
    }
  }
  return best;
}

