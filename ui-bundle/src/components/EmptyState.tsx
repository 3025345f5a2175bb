import { Card, Empty, Typography } from 'antd';
import type { ReactNode } from 'react';

interface Props {
  title: string;
  description: ReactNode;
  action?: ReactNode;
  icon?: ReactNode;
}

/** What a page shows when there is nothing yet, saying what the thing is and how to make one. */
export function EmptyState({ title, description, action, icon }: Props) {
  return (
    <Card className="empty-state">
      <Empty
        image={icon ?? Empty.PRESENTED_IMAGE_SIMPLE}
        description={
          <div style={{ maxWidth: 520, margin: '0 auto' }}>
            <Typography.Title level={5} style={{ marginBottom: 4 }}>
              {title}
            </Typography.Title>
            <Typography.Text type="secondary">{description}</Typography.Text>
          </div>
        }
      >
        {action}
      </Empty>
    </Card>
  );
}

/** The state of a page whose API routes this platform does not serve yet. */
export function ArrivesLater({ what, service, icon }: { what: string; service: string; icon?: ReactNode }) {
  return (
    <EmptyState
      icon={icon}
      title={`${what} arrive with the ${service}`}
      description={`This platform does not offer ${what.toLowerCase()} yet. This page fills in by itself once the ${service} is installed on the platform; nothing needs to change in the console.`}
    />
  );
}

/** The state of a list whose API route this platform does not serve yet (404 InvalidAction). */
export function NotServedYet({ what, icon }: { what: string; icon?: ReactNode }) {
  return (
    <EmptyState
      icon={icon}
      title={`This platform does not serve ${what} yet`}
      description={`The platform's API has no routes for ${what} yet. Once they are installed, ${what} show here; nothing in the console needs to change.`}
    />
  );
}
