import {
  ApiOutlined,
  MessageOutlined,
  SendOutlined,
  SolutionOutlined,
  StopOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { lazy } from 'react';
import type { Page } from '../../page';

/** 系统管理: accounts, family 4's partners and their rules, and what we send out. Admin only, as the server requires. */
export const ADMIN_PAGES: readonly Page[] = [
  {
    path: '/admin/staff',
    menu: { name: '员工账号', icon: <TeamOutlined />, group: 'admin' },
    roles: ['admin'],
    component: lazy(() => import('./StaffList')),
  },
  {
    path: '/admin/partners',
    menu: { name: '合作方', icon: <ApiOutlined />, group: 'admin' },
    roles: ['admin'],
    component: lazy(() => import('./Partners')),
  },
  {
    path: '/admin/partner-rules',
    menu: { name: '准入规则', icon: <SolutionOutlined />, group: 'admin' },
    roles: ['admin'],
    component: lazy(() => import('./PartnerRules')),
  },
  {
    path: '/admin/blacklist',
    menu: { name: '黑名单', icon: <StopOutlined />, group: 'admin' },
    roles: ['admin'],
    component: lazy(() => import('./Blacklist')),
  },
  {
    path: '/admin/callbacks',
    menu: { name: '回调发件箱', icon: <SendOutlined />, group: 'admin' },
    roles: ['admin'],
    component: lazy(() => import('./Callbacks')),
  },
  {
    path: '/admin/sms',
    menu: { name: '短信记录', icon: <MessageOutlined />, group: 'admin' },
    roles: ['admin'],
    component: lazy(() => import('./SmsMessages')),
  },
];
