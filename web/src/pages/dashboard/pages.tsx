import { BarChartOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import { STAGES } from '../../../../src/modules/loan-orders/loan-order-state';
import type { Page } from '../../page';

/** The dashboards: the loan one for every stage's clerks and the admins, as its route allows. */
export const DASHBOARD_PAGES: readonly Page[] = [
  {
    path: '/dashboard/loans',
    menu: { name: '贷款看板', icon: <BarChartOutlined />, group: 'dashboard' },
    roles: [...STAGES, 'admin'],
    component: lazy(() => import('./Dashboard')),
  },
];
