import { Breadcrumb, Flex, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { ReactNode } from 'react';

export interface Crumb {
  title: string;
  to?: string;
}

interface Props {
  title: ReactNode;
  subtitle?: ReactNode;
  extra?: ReactNode;
  breadcrumb?: Crumb[];
}

export function PageHeader({ title, subtitle, extra, breadcrumb }: Props) {
  return (
    <div className="page-header">
      {breadcrumb && breadcrumb.length > 0 && (
        <Breadcrumb
          style={{ marginBottom: 8 }}
          items={breadcrumb.map((c) => ({ title: c.to ? <Link to={c.to}>{c.title}</Link> : c.title }))}
        />
      )}
      <Flex justify="space-between" align="flex-start" gap={16} wrap="wrap">
        <div style={{ minWidth: 0 }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          {subtitle && (
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0', maxWidth: 760 }}>
              {subtitle}
            </Typography.Paragraph>
          )}
        </div>
        {extra && <Flex gap={8}>{extra}</Flex>}
      </Flex>
    </div>
  );
}
