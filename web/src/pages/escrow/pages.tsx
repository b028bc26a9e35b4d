import { ApiOutlined, AuditOutlined, BankOutlined, NotificationOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { Page } from '../../page';

/**
 * Family 3's back office: the orders' money (the escrow role; maker-checker between two of its
 * members), and the ISVs with their notifications (admin, who manages accounts, not money).
 */
export const ESCROW_PAGES: readonly Page[] = [
  {
    path: '/escrow-orders',
    menu: { name: '监管订单', icon: <BankOutlined />, group: 'escrow' },
    roles: ['escrow'],
    component: lazy(() => import('./EscrowOrders')),
  },
  {
    path: '/escrow-orders/:houseOrderNo',
    roles: ['escrow'],
    component: lazy(() => import('./EscrowOrder')),
  },
  {
    path: '/escrow-releases',
    menu: { name: '待审批', icon: <AuditOutlined />, group: 'escrow' },
    roles: ['escrow'],
    component: lazy(() => import('./ReleaseQueue')),
  },
  {
    path: '/escrow-isvs',
    menu: { name: 'ISV 管理', icon: <ApiOutlined />, group: 'escrow' },
    roles: ['admin'],
    component: lazy(() => import('./IsvsPage')),
  },
  {
    path: '/escrow-notifications',
    menu: { name: 'ISV 通知', icon: <NotificationOutlined />, group: 'escrow' },
    roles: ['admin'],
    component: lazy(() => import('./NotificationsPage')),
  },
];
