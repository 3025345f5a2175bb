import { Alert, Button, Form, Input, Typography } from 'antd';
import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { loggedIn } from '../../auth/authSlice';
import { applyApiError } from '../../components/forms';
import type { ConsoleError } from '../../api/errors';
import { useLoginMutation } from './api';
import { AuthLayout } from './AuthLayout';

interface Values {
  email: string;
  password: string;
}

/** Only paths inside the console are followed after signing in. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const [form] = Form.useForm<Values>();
  const [login, { isLoading }] = useLoginMutation();
  const [formError, setFormError] = useState<ConsoleError>();
  const dispatch = useAppDispatch();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const status = useAppSelector((s) => s.auth.status);
  const next = safeNext(params.get('next'));
  const registeredEmail = params.get('registered');

  if (status === 'authenticated') {
    return <Navigate to={next} replace />;
  }

  const onFinish = async (values: Values) => {
    setFormError(undefined);
    try {
      const tokens = await login({ email: values.email.trim(), password: values.password }).unwrap();
      dispatch(loggedIn({ tokens, email: values.email.trim() }));
      navigate(next, { replace: true });
    } catch (error) {
      setFormError(applyApiError(form, error as never, ['email', 'password']));
    }
  };

  return (
    <AuthLayout title="Sign in" subtitle="Use the email and password of your account.">
      {registeredEmail && !formError && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          message="Your account is ready"
          description="Sign in with the password you chose."
        />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={onFinish}
        initialValues={{ email: registeredEmail ?? '' }}
        onValuesChange={() => formError && setFormError(undefined)}
      >
        <Form.Item
          label="Email"
          name="email"
          rules={[{ required: true, whitespace: true, message: 'Enter your email address' }]}
        >
          <Input prefix={<MailOutlined />} autoComplete="username" autoFocus={!registeredEmail} placeholder="you@example.com" />
        </Form.Item>
        <Form.Item label="Password" name="password" rules={[{ required: true, message: 'Enter your password' }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" autoFocus={!!registeredEmail} />
        </Form.Item>
        {formError && <Alert type="error" showIcon message={formError.message} style={{ marginBottom: 16 }} role="alert" />}
        <Button type="primary" htmlType="submit" block loading={isLoading} size="large">
          Sign in
        </Button>
      </Form>
      <Typography.Paragraph style={{ marginTop: 20, marginBottom: 0, textAlign: 'center' }}>
        New here? <Link to="/register">Create an account</Link>
      </Typography.Paragraph>
    </AuthLayout>
  );
}
