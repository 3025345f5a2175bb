import type { RouteObject } from 'react-router-dom';
import { AppLayout } from '../layout/AppLayout';
import { RequireAdmin, RequireAuth } from '../auth/guards';
import { LoginPage } from '../features/auth/LoginPage';
import { RegisterPage } from '../features/auth/RegisterPage';
import { SessionExpiredPage } from '../features/auth/SessionExpiredPage';
import { DashboardPage } from '../features/dashboard/DashboardPage';
import { VpcListPage } from '../features/vpcs/VpcListPage';
import { VpcDetailPage } from '../features/vpcs/VpcDetailPage';
import { SubnetListPage } from '../features/subnets/SubnetListPage';
import { RouteTableListPage } from '../features/routeTables/RouteTableListPage';
import { RouteTableDetailPage } from '../features/routeTables/RouteTableDetailPage';
import { InternetGatewayListPage } from '../features/internetGateways/InternetGatewayListPage';
import { NetworkAclListPage } from '../features/networkAcls/NetworkAclListPage';
import { NetworkAclDetailPage } from '../features/networkAcls/NetworkAclDetailPage';
import { SecurityGroupListPage } from '../features/securityGroups/SecurityGroupListPage';
import { SecurityGroupDetailPage } from '../features/securityGroups/SecurityGroupDetailPage';
import { ElasticIpListPage } from '../features/elasticIps/ElasticIpListPage';
import { InstanceListPage } from '../features/instances/InstanceListPage';
import { KeyPairListPage } from '../features/keyPairs/KeyPairListPage';
import { ImageListPage } from '../features/images/ImageListPage';
import { InstanceTypeListPage } from '../features/instanceTypes/InstanceTypeListPage';
import { UserListPage } from '../features/users/UserListPage';
import { WorkersPage } from '../features/nodes/WorkersPage';
import { InstanceDetailPage } from '../features/instances/InstanceDetailPage';
import { LaunchInstancePage } from '../features/instances/LaunchInstancePage';
import { NotFoundPage } from './NotFoundPage';

/** Every page of the console; paths are relative to /console. */
export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage /> },
  { path: '/register', element: <RegisterPage /> },
  { path: '/session-expired', element: <SessionExpiredPage /> },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <DashboardPage /> },
          { path: 'vpcs', element: <VpcListPage /> },
          { path: 'vpcs/:id', element: <VpcDetailPage /> },
          { path: 'subnets', element: <SubnetListPage /> },
          { path: 'route-tables', element: <RouteTableListPage /> },
          { path: 'route-tables/:id', element: <RouteTableDetailPage /> },
          { path: 'internet-gateways', element: <InternetGatewayListPage /> },
          { path: 'network-acls', element: <NetworkAclListPage /> },
          { path: 'network-acls/:id', element: <NetworkAclDetailPage /> },
          { path: 'security-groups', element: <SecurityGroupListPage /> },
          { path: 'security-groups/:id', element: <SecurityGroupDetailPage /> },
          { path: 'elastic-ips', element: <ElasticIpListPage /> },
          { path: 'instances', element: <InstanceListPage /> },
          { path: 'instances/launch', element: <LaunchInstancePage /> },
          { path: 'instances/:id', element: <InstanceDetailPage /> },
          { path: 'key-pairs', element: <KeyPairListPage /> },
          { path: 'images', element: <ImageListPage /> },
          { path: 'instance-types', element: <InstanceTypeListPage /> },
          {
            path: 'admin',
            element: <RequireAdmin />,
            children: [
              { path: 'users', element: <UserListPage /> },
              { path: 'workers', element: <WorkersPage /> },
            ],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];
