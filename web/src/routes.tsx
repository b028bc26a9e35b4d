import { AuditOutlined, FileSearchOutlined } from '@ant-design/icons';
import { type ComponentType, type LazyExoticComponent, lazy, type ReactNode } from 'react';
import type { Role } from './api/auth';

/**
 * Every page of the back office, in menu order. Adding a page is a file under
 * pages/<area>/ (its component the module's default export) and one entry here; the router, the
 * menu and the role check are built from this list. Each page loads on its own (React.lazy), so
 * the first load carries only the shell.
 */
export interface Page {
  /** Absolute path; `:param` segments for pages reached from another page. */
  path: string;
  /** The menu item; a page without one (an order's detail) is reached by link only. */
  menu?: { name: string; icon: ReactNode; group?: keyof typeof MENU_GROUPS };
  /** Any one of these opens the page ([] any staff); the same roles the server requires. */
  roles: readonly Role[];
  component: LazyExoticComponent<ComponentType>;
}

/** Submenus pages may sit in, in menu order. */
export const MENU_GROUPS = {
  loans: { name: '贷款订单', icon: <FileSearchOutlined /> },
} as const satisfies Record<string, { name: string; icon: ReactNode }>;

export const PAGES: readonly Page[] = [
  {
    path: '/mianqian/orders',
    menu: { name: '面签工作台', icon: <AuditOutlined />, group: 'loans' },
    roles: ['mianqian'],
    component: lazy(() => import('./pages/mianqian/DeskList')),
  },
  {
    path: '/mianqian/orders/:sonOrderId',
    roles: ['mianqian'],
    component: lazy(() => import('./pages/mianqian/OrderDetail')),
  },
];
