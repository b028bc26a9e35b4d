import { Result } from 'antd';
import { Navigate } from 'react-router';
import { Forbidden } from '../pages/Forbidden';
import { PAGES, type Page } from '../routes';
import { mayOpen, useStaff } from '../session';

/** A registered page, or 无权访问 when the user's roles do not open it (typed in, say). */
export function Guarded({ page }: { page: Page }) {
  const staff = useStaff();
  if (!mayOpen(staff, page.roles)) return <Forbidden />;
  const Component = page.component;
  return <Component />;
}

/** `/`: the first page of the user's menu, or a greeting when their roles open none yet. */
export function Home() {
  const staff = useStaff();
  const first = PAGES.find((page) => page.menu && mayOpen(staff, page.roles));
  if (first) return <Navigate to={first.path} replace />;
  return <Result status="info" title={`您好，${staff.display_name}`} subTitle="您的角色暂时没有可用的页面" />;
}
