import type { Page } from './page';
import { ADMIN_PAGES } from './pages/admin/pages';
import { DASHBOARD_PAGES } from './pages/dashboard/pages';
import { ESCROW_PAGES } from './pages/escrow/pages';
import { LOAN_PAGES } from './pages/mianqian/pages';
import { PARKING_PAGES } from './pages/parking/pages';
import { RENTAL_PAGES } from './pages/rental/pages';

export { MENU_GROUPS, type Page } from './page';

/** Every page of the back office, area by area in menu order (see page.tsx). */
export const PAGES: readonly Page[] = [
  ...LOAN_PAGES,
  ...DASHBOARD_PAGES,
  ...RENTAL_PAGES,
  ...ESCROW_PAGES,
  ...PARKING_PAGES,
  ...ADMIN_PAGES,
];
