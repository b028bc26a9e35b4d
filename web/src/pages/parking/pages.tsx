import { AuditOutlined, EnvironmentOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { Page } from '../../page';

/** Family 5's back office: the review queue with each order's page, and the parks' set-up. */
export const PARKING_PAGES: readonly Page[] = [
  {
    path: '/parking-orders',
    menu: { name: '订单审核', icon: <AuditOutlined />, group: 'parking' },
    roles: ['parking', 'admin'],
    component: lazy(() => import('./ReviewQueue')),
  },
  {
    path: '/parking-orders/:id',
    roles: ['parking', 'admin'],
    component: lazy(() => import('./OrderPage')),
  },
  {
    path: '/parking-parks',
    menu: { name: '停车场与产品', icon: <EnvironmentOutlined />, group: 'parking' },
    roles: ['parking', 'admin'],
    component: lazy(() => import('./ParksPage')),
  },
];
