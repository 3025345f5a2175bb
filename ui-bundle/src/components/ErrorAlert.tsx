import { Alert, Button, Typography } from 'antd';
import { toConsoleError, type AnyError } from '../api/errors';

interface Props {
  error: AnyError;
  title?: string;
  onRetry?: () => void;
  style?: React.CSSProperties;
}

/** An API failure in words: the API's message, the request id for the operator when there is one. */
export function ErrorAlert({ error, title, onRetry, style }: Props) {
  const e = toConsoleError(error);
  if (!e) {
    return null;
  }
  return (
    <Alert
      type="error"
      showIcon
      style={style}
      message={title ?? e.message}
      description={
        title || e.requestId ? (
          <>
            {title && <div>{e.message}</div>}
            {e.requestId && e.status >= 500 && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                Request id {e.requestId}
              </Typography.Text>
            )}
          </>
        ) : undefined
      }
      action={
        onRetry && (
          <Button size="small" onClick={onRetry}>
            Try again
          </Button>
        )
      }
    />
  );
}
