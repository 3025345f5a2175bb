import { Card, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Logo } from '../../layout/Logo';

/** The frame of the pages seen before signing in. */
export function AuthLayout({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <Flex className="auth-page" align="center" justify="center">
      <div className="auth-column">
        <Flex align="center" gap={10} className="auth-brand">
          <Logo size={36} />
          <Typography.Title level={4} style={{ margin: 0 }}>
            Gon Cloud Platform
          </Typography.Title>
        </Flex>
        <Card className="auth-card">
          <Typography.Title level={3} style={{ marginTop: 0, marginBottom: subtitle ? 4 : 24 }}>
            {title}
          </Typography.Title>
          {subtitle && (
            <Typography.Paragraph type="secondary" style={{ marginBottom: 24 }}>
              {subtitle}
            </Typography.Paragraph>
          )}
          {children}
        </Card>
        <Typography.Paragraph type="secondary" className="auth-footer">
          Your self-hosted cloud: VPCs, subnets, security groups and instances.
        </Typography.Paragraph>
      </div>
    </Flex>
  );
}
