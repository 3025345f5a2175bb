import { Card, Typography } from 'antd';
import { CodeOutlined } from '@ant-design/icons';
import type { Instance } from './api';

/**
 * The instance's console output. Placeholder: the API has no console-output route yet. When it lands,
 * add a getConsoleOutput query to ./api.ts and show its text here (a <pre className="console-output">).
 */
export function ConsoleOutput({ instance }: { instance: Instance }) {
  return (
    <Card className="section-card" title={<><CodeOutlined /> Console output</>} data-instance={instance.id}>
      <Typography.Text type="secondary">
        The instance's console output (boot messages, what user data scripts print) arrives with the console-output API.
      </Typography.Text>
    </Card>
  );
}
