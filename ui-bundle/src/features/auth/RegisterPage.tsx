import { Alert, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router-dom';
import { useAppSelector } from '../../app/hooks';
import { applyApiError } from '../../components/forms';
import type { ConsoleError } from '../../api/errors';
import { useRegisterMutation } from './api';
import { AuthLayout } from './AuthLayout';

interface Values {
  username: string;
  email: string;
  password: string;
  confirm: string;
}

const USERNAME = /^[A-Za-z0-9._-]{1,64}$/;
const MIN_PASSWORD = 8;
const MAX_PASSWORD_BYTES = 72;

export function RegisterPage() {
  const [form] = Form.useForm<Values>();
  const [register, { isLoading }] = useRegisterMutation();
  const [formError, setFormError] = useState<ConsoleError>();
  const navigate = useNavigate();
  const status = useAppSelector((s) => s.auth.status);

  if (status === 'authenticated') {
    return <Navigate to="/" replace />;
  }

  const onFinish = async (values: Values) => {
    setFormError(undefined);
    try {
      const user = await register({
        username: values.username.trim(),
        email: values.email.trim(),
        password: values.password,
      }).unwrap();
      navigate(`/login?registered=${encodeURIComponent(user.email)}`, { replace: true });
    } catch (error) {
      setFormError(applyApiError(form, error as never, ['username', 'email', 'password']));
    }
  };

  return (
    <AuthLayout title="Create your account" subtitle="An account holds your VPCs, subnets and instances.">
      <Form<Values> form={form} layout="vertical" requiredMark={false} onFinish={onFinish}>
        <Form.Item
          label="Username"
          name="username"
          extra="Letters, digits, '.', '_' and '-'."
          rules={[
            { required: true, whitespace: true, message: 'Choose a username' },
            { pattern: USERNAME, message: "username may contain only letters, digits, '.', '_' and '-' (up to 64)" },
          ]}
        >
          <Input autoComplete="nickname" autoFocus />
        </Form.Item>
        <Form.Item
          label="Email"
          name="email"
          rules={[
            { required: true, whitespace: true, message: 'Enter your email address' },
            { type: 'email', message: 'Enter a valid email address, e.g. you@example.com' },
          ]}
        >
          <Input autoComplete="email" placeholder="you@example.com" />
        </Form.Item>
        <Form.Item
          label="Password"
          name="password"
          extra={`At least ${MIN_PASSWORD} characters.`}
          rules={[
            { required: true, message: 'Choose a password' },
            { min: MIN_PASSWORD, message: `password must be at least ${MIN_PASSWORD} characters long` },
            {
              validator: (_, value: string) =>
                value && new TextEncoder().encode(value).length > MAX_PASSWORD_BYTES
                  ? Promise.reject(new Error(`password must be at most ${MAX_PASSWORD_BYTES} bytes long`))
                  : Promise.resolve(),
            },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          label="Confirm password"
          name="confirm"
          dependencies={['password']}
          rules={[
            { required: true, message: 'Type the password again' },
            ({ getFieldValue }) => ({
              validator: (_, value: string) =>
                !value || getFieldValue('password') === value
                  ? Promise.resolve()
                  : Promise.reject(new Error('The two passwords differ')),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {formError && <Alert type="error" showIcon message={formError.message} style={{ marginBottom: 16 }} role="alert" />}
        <Button type="primary" htmlType="submit" block loading={isLoading} size="large">
          Create account
        </Button>
      </Form>
      <Typography.Paragraph style={{ marginTop: 20, marginBottom: 0, textAlign: 'center' }}>
        Already have an account? <Link to="/login">Sign in</Link>
      </Typography.Paragraph>
    </AuthLayout>
  );
}
