import { AuditOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { Page } from '../../page';

/** The loan stages' desks and the order page. */
export const LOAN_PAGES: readonly Page[] = [
  {
    path: '/mianqian/orders',
    menu: { name: '面签工作台', icon: <AuditOutlined />, group: 'loans' },
    roles: ['mianqian'],
    component: lazy(() => import('./DeskList')),
  },
  {
    path: '/mianqian/orders/:sonOrderId',
    roles: ['mianqian'],
    component: lazy(() => import('./OrderDetail')),
  },
];
