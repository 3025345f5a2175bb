import { useEffect, useRef } from 'react';
import { Alert, Button, Card, Spin, Typography } from 'antd';
import { CodeOutlined, ReloadOutlined } from '@ant-design/icons';
import { toConsoleError } from '../../api/errors';
import { formatDate } from '../../components/format';
import { useGetConsoleOutputQuery, type Instance } from './api';

/**
 * The instance's console output (boot messages, what user data scripts print): the latest 64 KiB, which the
 * platform reads from the instance's worker when asked. Fetched when shown and on Refresh; scrolled to the end.
 */
export function ConsoleOutput({ instance }: { instance: Instance }) {
  const terminated = instance.state === 'terminated';
  const { data, error, isFetching, refetch } = useGetConsoleOutputQuery(instance.id, {
    skip: terminated,
    refetchOnMountOrArgChange: true,
  });
  const pre = useRef<HTMLPreElement>(null);
  const output = data?.output ?? '';

  useEffect(() => {
    if (pre.current) {
      pre.current.scrollTop = pre.current.scrollHeight;
    }
  }, [output]);

  const failure = toConsoleError(error);
  let body;
  if (terminated) {
    body = <Typography.Text type="secondary">A terminated instance has no console output.</Typography.Text>;
  } else if (failure) {
    body = (
      <Alert
        type={failure.status === 503 ? 'warning' : 'error'}
        showIcon
        message={failure.status === 503 ? 'The console output is not available right now' : 'The console output could not be read'}
        description={
          <>
            {failure.message}
            {failure.status === 503 && ' Use Refresh to ask the worker again.'}
          </>
        }
      />
    );
  } else if (!data) {
    body = <Spin tip="Asking the instance's worker..."><div style={{ minHeight: 48 }} /></Spin>;
  } else if (output === '') {
    body = <Typography.Text type="secondary">No console output yet.</Typography.Text>;
  } else {
    body = (
      <pre ref={pre} className="console-output" aria-label="Console output">
        {output}
      </pre>
    );
  }

  return (
    <Card
      className="section-card"
      title={<><CodeOutlined /> Console output</>}
      data-instance={instance.id}
      extra={
        !terminated && (
          <span>
            {data?.timestamp && !failure && (
              <Typography.Text type="secondary" style={{ marginRight: 12 }}>
                read {formatDate(data.timestamp)}
              </Typography.Text>
            )}
            <Button size="small" icon={<ReloadOutlined />} loading={isFetching} onClick={() => void refetch()}>
              Refresh
            </Button>
          </span>
        )
      }
    >
      {body}
    </Card>
  );
}
