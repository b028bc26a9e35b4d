import { Button, Result } from 'antd';
import { Link } from 'react-router';

/** What a page the user's roles do not open shows, whether the menu or the server said so. */
export function Forbidden({ message }: { message?: string }) {
  return (
    <Result
      status="403"
      title="无权访问"
      subTitle={message ?? '您的账号没有打开此页面的权限'}
      extra={
        <Link to="/">
          <Button type="primary">返回首页</Button>
        </Link>
      }
    />
  );
}
