import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { Result } from 'antd';
import { useAppSelector } from '../app/hooks';
import { selectIsAdmin } from './authSlice';

/** Lets signed-in users through; sends others to sign in (or to the session-expired page). */
export function RequireAuth() {
  const status = useAppSelector((s) => s.auth.status);
  const signedOut = useAppSelector((s) => s.auth.signedOut);
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  if (status === 'expired') {
    return <Navigate to="/session-expired" state={{ from: here }} replace />;
  }
  if (status !== 'authenticated') {
    return <Navigate to={here === '/' || signedOut ? '/login' : `/login?next=${encodeURIComponent(here)}`} replace />;
  }
  return <Outlet />;
}

/** Pages for administrators only (the role claim of the access token). */
export function RequireAdmin() {
  const admin = useAppSelector(selectIsAdmin);
  if (!admin) {
    return (
      <Result
        status="403"
        title="Administrators only"
        subTitle="This page is for the platform's administrators. Ask one if you need access."
      />
    );
  }
  return <Outlet />;
}
