import type { RouteFile } from './shared.js';
import { userAuthLoginRoute } from './user-auth.login.route.js';
import { userAuthSendCodeRoute } from './user-auth.send-code.route.js';
import { userContractReadRoute } from './user-contract.read.route.js';
import { userContractSaveRoute } from './user-contract.save.route.js';
import { userOrderBookingRoute } from './user-order.booking.route.js';
import { userOrderGetMonthRoute } from './user-order.get-month.route.js';
import { userOrderLongPayRoute } from './user-order.long-pay.route.js';
import { userOrderReadRoute } from './user-order.read.route.js';
import { userOrderRetirementRoute } from './user-order.retirement.route.js';

/** Tenant login, which the spec assumes: mobile + SMS code → bearer token. No session needed. */
export const TENANT_AUTH_ROUTES: readonly RouteFile[] = [userAuthSendCodeRoute, userAuthLoginRoute];

/** The routes behind a tenant session, one file per URL, in the order they are registered. */
export const TENANT_ROUTES: readonly RouteFile[] = [
  userContractReadRoute,
  userContractSaveRoute,
  userOrderLongPayRoute,
  userOrderBookingRoute,
  userOrderReadRoute,
  userOrderRetirementRoute,
  userOrderGetMonthRoute,
];
