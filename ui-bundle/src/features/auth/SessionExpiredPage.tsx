import { Button, Result } from 'antd';
import { ClockCircleOutlined } from '@ant-design/icons';
import { useEffect } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { api } from '../../api/api';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { loggedOut } from '../../auth/authSlice';
import { AuthLayout } from './AuthLayout';
import { safeNext } from './LoginPage';

export function SessionExpiredPage() {
  const dispatch = useAppDispatch();
  const navigate = useNavigate();
  const location = useLocation();
  const status = useAppSelector((s) => s.auth.status);
  const from = safeNext((location.state as { from?: string } | null)?.from ?? null);

  useEffect(() => {
    // Nothing seen in the expired session stays in memory.
    dispatch(api.util.resetApiState());
  }, [dispatch]);

  if (status === 'authenticated') {
    return <Navigate to={from} replace />;
  }

  const signIn = () => {
    dispatch(loggedOut());
    navigate(`/login?next=${encodeURIComponent(from)}`, { replace: true });
  };

  return (
    <AuthLayout title="Session expired">
      <Result
        icon={<ClockCircleOutlined style={{ color: '#faad14' }} />}
        title="Your session has ended"
        subTitle="You were signed out because your session expired or was ended elsewhere. Sign in again to continue where you left off."
        extra={
          <Button type="primary" size="large" onClick={signIn}>
            Sign in again
          </Button>
        }
        style={{ padding: '8px 0' }}
      />
    </AuthLayout>
  );
}
