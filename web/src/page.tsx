import {
  BankOutlined,
  CarOutlined,
  DashboardOutlined,
  FileSearchOutlined,
  HomeOutlined,
  SettingOutlined,
} from '@ant-design/icons';
import type { ComponentType, LazyExoticComponent, ReactNode } from 'react';
import type { Role } from './api/auth';

/**
 * One page of the back office. Each area lists its pages in its own `pages/<area>/pages.tsx`
 * (the component the default export of a file beside it), and routes.tsx puts the areas in menu
 * order; the router, the menu and the role check are built from that list. Each page loads on
 * its own (React.lazy), so the first load carries only the shell.
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
  dashboard: { name: '数据看板', icon: <DashboardOutlined /> },
  loans: { name: '贷款订单', icon: <FileSearchOutlined /> },
  rental: { name: '租赁运营', icon: <HomeOutlined /> },
  escrow: { name: '资金监管', icon: <BankOutlined /> },
  parking: { name: '校园停车', icon: <CarOutlined /> },
  admin: { name: '系统管理', icon: <SettingOutlined /> },
} as const satisfies Record<string, { name: string; icon: ReactNode }>;
