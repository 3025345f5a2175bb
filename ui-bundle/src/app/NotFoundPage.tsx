import { Button, Result } from 'antd';
import { Link } from 'react-router-dom';

export function NotFoundPage() {
  return (
    <Result
      status="404"
      title="Page not found"
      subTitle="The console has no page at this address."
      extra={
        <Link to="/">
          <Button type="primary">Go to the dashboard</Button>
        </Link>
      }
    />
  );
}
