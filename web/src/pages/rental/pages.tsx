import { FileTextOutlined, TeamOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { Page } from '../../page';

/** Family 2's operations: leases with their money and move-out, and the tenants (admin, as the routes). */
export const RENTAL_PAGES: readonly Page[] = [
  {
    path: '/rental/leases',
    menu: { name: '租约', icon: <FileTextOutlined />, group: 'rental' },
    roles: ['admin'],
    component: lazy(() => import('./LeasesList')),
  },
  {
    path: '/rental/leases/:id',
    roles: ['admin'],
    component: lazy(() => import('./LeasePage')),
  },
  {
    path: '/rental/tenants',
    menu: { name: '租客', icon: <TeamOutlined />, group: 'rental' },
    roles: ['admin'],
    component: lazy(() => import('./TenantsList')),
  },
];
