import { LogoutOutlined } from '@ant-design/icons';
import { ProLayout } from '@ant-design/pro-components';
import { Dropdown, Result, Spin } from 'antd';
import { Suspense, useEffect, useMemo, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { logout, me, ROLE_LABELS, type Role, type Staff } from '../api/auth';
import { type ApiError, onSession } from '../api/client';
import { Forbidden } from '../pages/Forbidden';
import { StaffContext } from '../session';
import { menuFor } from './menu';

/** The login page's address, remembering where the user was so logging in goes back there. */
export function loginPath(from: string): string {
  return from === '/' ? '/login' : `/login?from=${encodeURIComponent(from)}`;
}

/**
 * The logged-in frame: who is logged in (from /api/auth/me) and the menu their roles allow.
 * A 401 from any call goes to the login page; a read refused with 403 shows 无权访问 in place of
 * the page until the user goes elsewhere — the server is the judge, the menu only a convenience.
 * A refused action leaves the page, which says why.
 */
export function Shell() {
  const location = useLocation();
  const navigate = useNavigate();
  const [staff, setStaff] = useState<Staff | null>(null);
  const [unloaded, setUnloaded] = useState<ApiError | null>(null);
  const [forbidden, setForbidden] = useState<{ at: string; error: ApiError } | null>(null);

  useEffect(() => {
    const stopUnauthorized = onSession('unauthorized', () =>
      navigate(loginPath(window.location.pathname + window.location.search), { replace: true }),
    );
    // Kept for the page, not its query: a list that writes its filters into the address stays refused.
    const stopForbidden = onSession('forbidden', (error) =>
      setForbidden({ at: window.location.pathname, error }),
    );
    // A failed call other than 401 leaves the frame without a user: say so rather than spin.
    me().then(setStaff, (error: ApiError) => {
      if (error.status !== 401) setUnloaded(error);
    });
    return () => {
      stopUnauthorized();
      stopForbidden();
    };
  }, [navigate]);

  const menu = useMemo(() => (staff ? menuFor(staff) : []), [staff]);

  if (!staff) {
    if (unloaded) return <Result status="error" title="无法加载" subTitle={unloaded.message} />;
    return <Spin size="large" fullscreen />;
  }
  const roleNames = staff.roles.map((role) => ROLE_LABELS[role as Role] ?? role).join('、');
  return (
    <StaffContext.Provider value={staff}>
      <ProLayout
        title="房通后台"
        logo={false}
        layout="mix"
        fixSiderbar
        location={{ pathname: location.pathname }}
        route={{ path: '/', children: menu }}
        menuItemRender={(item, dom) => (item.path ? <Link to={item.path}>{dom}</Link> : dom)}
        onMenuHeaderClick={() => navigate('/')}
        avatarProps={{
          title: `${staff.display_name}（${roleNames}）`,
          size: 'small',
          render: (_props, dom) => (
            <Dropdown
              menu={{
                items: [{ key: 'logout', icon: <LogoutOutlined />, label: '退出登录' }],
                onClick: async () => {
                  await logout().catch(() => undefined);
                  navigate('/login', { replace: true });
                },
              }}
            >
              {dom}
            </Dropdown>
          ),
        }}
      >
        {forbidden?.at === location.pathname ? (
          <Forbidden message={forbidden.error.message} />
        ) : (
          <Suspense fallback={<Spin />}>
            <Outlet />
          </Suspense>
        )}
      </ProLayout>
    </StaffContext.Provider>
  );
}
