import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { LoginForm, ProFormText } from '@ant-design/pro-components';
import { Alert, App, Form } from 'antd';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { login } from '../../api/auth';
import { showFieldErrors } from '../../api/form-errors';
import { formatBeijing } from '../../time';

/**
 * Staff log in with their account; the answer sets the HttpOnly session cookie. A wrong
 * password and the lockout after five (429, 登录失败次数过多，请15分钟后再试) show the server's
 * own words above the form.
 */
export default function LoginPage() {
  const [form] = Form.useForm<{ username: string; password: string }>();
  const [refusal, setRefusal] = useState<string>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const from = params.get('from');

  return (
    <div style={{ minHeight: '100vh', background: '#f0f2f5', paddingTop: 96 }}>
      <LoginForm
        form={form}
        title="房通后台"
        subTitle="员工登录"
        submitter={{ searchConfig: { submitText: '登录' } }}
        onFinish={async ({ username, password }) => {
          setRefusal(undefined);
          try {
            const answer = await login(username, password);
            message.success(`登录成功，本次登录有效至 ${formatBeijing(answer.expires_at)}`);
            // Only a path of our own: never a full URL someone put in the link.
            navigate(from?.startsWith('/') && !from.startsWith('//') ? from : '/', { replace: true });
          } catch (error) {
            const elsewhere = showFieldErrors(form, error);
            if (elsewhere.length > 0) setRefusal(elsewhere.map((e) => e.error).join('；'));
          }
        }}
      >
        {refusal && <Alert type="error" showIcon message={refusal} style={{ marginBottom: 24 }} />}
        <ProFormText
          name="username"
          fieldProps={{ size: 'large', prefix: <UserOutlined />, autoComplete: 'username' }}
          placeholder="用户名"
          rules={[{ required: true, message: '请输入用户名' }]}
        />
        <ProFormText.Password
          name="password"
          fieldProps={{ size: 'large', prefix: <LockOutlined />, autoComplete: 'current-password' }}
          placeholder="密码"
          rules={[{ required: true, message: '请输入密码' }]}
        />
      </LoginForm>
    </div>
  );
}
