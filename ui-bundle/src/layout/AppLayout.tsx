import { Avatar, Button, Dropdown, Flex, Layout, Menu, Tag, Typography } from 'antd';
import { LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, UserOutlined, ApiOutlined } from '@ant-design/icons';
import { Suspense, useMemo, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import type { MenuProps } from 'antd';
import { useAppDispatch, useAppSelector } from '../app/hooks';
import { loggedOut, selectClaims, selectRefreshToken } from '../auth/authSlice';
import { api } from '../api/api';
import { apiBase } from '../api/baseQuery';
import { Logo } from './Logo';
import { NAVIGATION, activeNavPath } from './navigation';
import { PageLoading } from '../components/PageLoading';
import { useLiveEvents } from '../live/useLiveEvents';

const { Header, Sider, Content } = Layout;

export function AppLayout() {
  const [collapsed, setCollapsed] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();
  const dispatch = useAppDispatch();
  const claims = useAppSelector(selectClaims);
  const email = useAppSelector((s) => s.auth.email);
  const admin = claims?.role === 'admin';
  useLiveEvents();

  const items: MenuProps['items'] = useMemo(
    () =>
      NAVIGATION.filter((g) => !g.adminOnly || admin).map((group, index) => {
        const entries = group.items.map((item) => ({
          key: item.path,
          icon: item.icon,
          label: <Link to={item.path}>{item.label}</Link>,
        }));
        return group.label
          ? { type: 'group' as const, key: `g${index}`, label: collapsed ? null : group.label, children: entries }
          : entries[0];
      }),
    [admin, collapsed],
  );

  const refreshToken = useAppSelector(selectRefreshToken);

  const signOut = () => {
    if (refreshToken) {
      // Ends the session on the platform too (its refresh chain is revoked); the console leaves at once either way.
      void fetch(`${apiBase()}/auth/logout`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh_token: refreshToken }),
      }).catch(() => undefined);
    }
    dispatch(loggedOut());
    dispatch(api.util.resetApiState());
    navigate('/login', { replace: true });
  };

  const userMenu: MenuProps['items'] = [
    {
      key: 'who',
      disabled: true,
      label: (
        <div style={{ minWidth: 200 }}>
          <Typography.Text strong>{email ?? 'Signed in'}</Typography.Text>
          <br />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {admin ? 'Administrator' : 'Tenant'} · user {claims?.sub.slice(0, 8)}
          </Typography.Text>
        </div>
      ),
    },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: 'Sign out', onClick: signOut },
  ];

  return (
    <Layout className="app-layout">
      <Sider
        width={232}
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        trigger={null}
        breakpoint="lg"
        theme="light"
        className="app-sider"
      >
        <Link to="/" className="app-brand" aria-label="Gon Cloud Platform home">
          <Logo size={28} />
          {!collapsed && <span>Gon Cloud</span>}
        </Link>
        <Menu mode="inline" selectedKeys={[activeNavPath(location.pathname)]} items={items} className="app-menu" />
      </Sider>
      <Layout>
        <Header className="app-header">
          <Button
            type="text"
            aria-label={collapsed ? 'Expand navigation' : 'Collapse navigation'}
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => setCollapsed(!collapsed)}
          />
          <Flex align="center" gap={16}>
            <a href="/api/v1/openapi.json" target="_blank" rel="noreferrer" className="header-link">
              <ApiOutlined /> API
            </a>
            <Dropdown menu={{ items: userMenu }} trigger={['click']} placement="bottomRight">
              <Button type="text" className="user-button" aria-label="Account menu">
                <Avatar size="small" icon={<UserOutlined />} style={{ backgroundColor: '#1456d9' }} />
                <span className="user-email">{email ?? 'Account'}</span>
                {admin && <Tag color="purple" style={{ marginInlineEnd: 0 }}>admin</Tag>}
              </Button>
            </Dropdown>
            <Button icon={<LogoutOutlined />} onClick={signOut}>
              Sign out
            </Button>
          </Flex>
        </Header>
        <Content className="app-content">
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
}
