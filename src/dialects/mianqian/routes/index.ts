import { apiAuthLoginRoute } from './api.auth.login.route.js';
import { apiAuthLogoutRoute } from './api.auth.logout.route.js';
import { apiAuthMeRoute } from './api.auth.me.route.js';
import { apiEscrowIsvsExportCsvRoute } from './api.escrow-isvs.export-csv.route.js';
import { apiEscrowIsvsRoute } from './api.escrow-isvs.route.js';
import { apiEscrowNotificationsExportCsvRoute } from './api.escrow-notifications.export-csv.route.js';
import { apiEscrowNotificationsRoute } from './api.escrow-notifications.route.js';
import { apiEscrowOrdersExportCsvRoute } from './api.escrow-orders.export-csv.route.js';
import { apiEscrowOrdersListRoute } from './api.escrow-orders.list.route.js';
import { apiEscrowOrdersReleasesRoute } from './api.escrow-orders.releases.route.js';
import { apiEscrowOrdersRoute } from './api.escrow-orders.route.js';
import { apiEscrowPayoutsRetryRoute } from './api.escrow-payouts.retry.route.js';
import { apiEscrowReleasesApproveRoute } from './api.escrow-releases.approve.route.js';
import { apiEscrowReleasesExportCsvRoute } from './api.escrow-releases.export-csv.route.js';
import { apiEscrowReleasesRejectRoute } from './api.escrow-releases.reject.route.js';
import { apiEscrowReleasesRoute } from './api.escrow-releases.route.js';
import { apiLeasesCompleteRetirementRoute } from './api.leases.complete-retirement.route.js';
import { apiLeasesExportCsvRoute } from './api.leases.export-csv.route.js';
import { apiLeasesIdRoute } from './api.leases.id.route.js';
import { apiLeasesRoute } from './api.leases.route.js';
import { apiLoanOrdersAuditRoute } from './api.loan-orders.audit.route.js';
import { apiLoanOrdersDeskRoute } from './api.loan-orders.desk.route.js';
import { apiLoanOrdersExportCsvRoute } from './api.loan-orders.export-csv.route.js';
import { apiLoanOrdersIdRoute } from './api.loan-orders.id.route.js';
import { apiLoanOrdersPassRoute } from './api.loan-orders.pass.route.js';
import { apiLoanOrdersReturnKefuRoute } from './api.loan-orders.return-kefu.route.js';
import { apiLoanOrdersRoute } from './api.loan-orders.route.js';
import { apiLoanOrdersStopRoute } from './api.loan-orders.stop.route.js';
import { apiParkingOrdersApproveRoute } from './api.parking-orders.approve.route.js';
import { apiParkingOrdersExportCsvRoute } from './api.parking-orders.export-csv.route.js';
import { apiParkingOrdersFilesRoute } from './api.parking-orders.files.route.js';
import { apiParkingOrdersIdRoute } from './api.parking-orders.id.route.js';
import { apiParkingOrdersRefundRoute } from './api.parking-orders.refund.route.js';
import { apiParkingOrdersRefuseRoute } from './api.parking-orders.refuse.route.js';
import { apiParkingOrdersRoute } from './api.parking-orders.route.js';
import { apiParkingParksExportCsvRoute } from './api.parking-parks.export-csv.route.js';
import { apiParkingParksExtrasRoute } from './api.parking-parks.extras.route.js';
import { apiParkingParksIdRoute } from './api.parking-parks.id.route.js';
import { apiParkingParksOrgsRoute } from './api.parking-parks.orgs.route.js';
import { apiParkingParksRoute } from './api.parking-parks.route.js';
import { apiParkingProductsRoute } from './api.parking-products.route.js';
import { apiParkingProductsVersionsRoute } from './api.parking-products.versions.route.js';
import { apiPartnerBlacklistDeleteRoute } from './api.partner-blacklist.delete.route.js';
import { apiPartnerBlacklistExportCsvRoute } from './api.partner-blacklist.export-csv.route.js';
import { apiPartnerBlacklistRoute } from './api.partner-blacklist.route.js';
import { apiPartnerCallbacksExportCsvRoute } from './api.partner-callbacks.export-csv.route.js';
import { apiPartnerCallbacksRetryRoute } from './api.partner-callbacks.retry.route.js';
import { apiPartnerCallbacksRoute } from './api.partner-callbacks.route.js';
import { apiPartnerRulesRoute } from './api.partner-rules.route.js';
import { apiPartnersCallsExportCsvRoute } from './api.partners.calls.export-csv.route.js';
import { apiPartnersCallsRoute } from './api.partners.calls.route.js';
import { apiPartnersExportCsvRoute } from './api.partners.export-csv.route.js';
import { apiPartnersRoute } from './api.partners.route.js';
import { apiSmsMessagesExportCsvRoute } from './api.sms-messages.export-csv.route.js';
import { apiSmsMessagesRoute } from './api.sms-messages.route.js';
import { apiStaffExportCsvRoute } from './api.staff.export-csv.route.js';
import { apiStaffIdRoute } from './api.staff.id.route.js';
import { apiStaffRoute } from './api.staff.route.js';
import { apiStatsLoanOrdersRoute } from './api.stats.loan-orders.route.js';
import { apiTenantsExportCsvRoute } from './api.tenants.export-csv.route.js';
import { apiTenantsRoute } from './api.tenants.route.js';
import { orderMianqianGetCustomerInfoByIdCardRoute } from './order-mianqian.get-customer-info-by-id-card.route.js';
import { orderMianqianIndexRoute } from './order-mianqian.index.route.js';
import { orderMianqianOrderDetailRoute } from './order-mianqian.order-detail.route.js';
import { orderMianqianOrderPassRoute } from './order-mianqian.order-pass.route.js';
import { orderMianqianOrderReturnKefuRoute } from './order-mianqian.order-return-kefu.route.js';
import { orderMianqianOrderStopRoute } from './order-mianqian.order-stop.route.js';
import { orderMianqianSaveBorrowInfoRoute } from './order-mianqian.save-borrow-info.route.js';
import { orderMianqianSaveCustomerInfoRoute } from './order-mianqian.save-customer-info.route.js';
import { orderMianqianSaveHouseInfoRoute } from './order-mianqian.save-house-info.route.js';
import { orderMianqianSaveSuggestRoute } from './order-mianqian.save-suggest.route.js';
import { orderMianshenAjaxGetListRoute } from './order-mianshen.ajax-get-list.route.js';
import type { RouteFile } from './shared.js';

/** The session routes: login and logout need none; /api/auth/me checks its own. */
export const AUTH_ROUTES: readonly RouteFile[] = [apiAuthLoginRoute, apiAuthLogoutRoute, apiAuthMeRoute];

/**
 * The routes behind a staff session, one file per URL, in the order they are registered (and
 * listed in /docs). Each checks its own stage role through the module it calls.
 */
export const STAFF_ROUTES: readonly RouteFile[] = [
  // The 面签 workbench (the spec's /order_mianqian/* pages).
  orderMianqianOrderDetailRoute,
  orderMianqianSaveBorrowInfoRoute,
  orderMianqianSaveHouseInfoRoute,
  orderMianqianSaveCustomerInfoRoute,
  orderMianqianSaveSuggestRoute,
  orderMianqianOrderPassRoute,
  orderMianqianOrderStopRoute,
  orderMianqianOrderReturnKefuRoute,
  orderMianqianGetCustomerInfoByIdCardRoute,
  // The 面签 desk.
  orderMianqianIndexRoute,
  orderMianshenAjaxGetListRoute,
  // The back-office API the spec assumes: the other stages and the accounts.
  apiLoanOrdersRoute,
  apiLoanOrdersPassRoute,
  apiLoanOrdersReturnKefuRoute,
  apiLoanOrdersStopRoute,
  apiLoanOrdersAuditRoute,
  apiLoanOrdersDeskRoute,
  apiLoanOrdersIdRoute,
  apiLoanOrdersExportCsvRoute,
  apiStatsLoanOrdersRoute,
  apiStaffRoute,
  apiStaffIdRoute,
  // Family 3's escrow money: the escrow role, maker-checker (the module checks both).
  apiEscrowOrdersListRoute,
  apiEscrowOrdersExportCsvRoute,
  apiEscrowOrdersRoute,
  apiEscrowOrdersReleasesRoute,
  apiEscrowReleasesRoute,
  apiEscrowReleasesExportCsvRoute,
  apiEscrowReleasesApproveRoute,
  apiEscrowReleasesRejectRoute,
  apiEscrowPayoutsRetryRoute,
  // Family 5's parks, org trees, extra items and products (the parking role or admin).
  apiParkingParksRoute,
  apiParkingParksExportCsvRoute,
  apiParkingParksIdRoute,
  apiParkingParksOrgsRoute,
  apiParkingParksExtrasRoute,
  apiParkingProductsRoute,
  apiParkingProductsVersionsRoute,
  // Family 5's orders: review before pay, documents and refunds (the parking role or admin).
  apiParkingOrdersRoute,
  apiParkingOrdersExportCsvRoute,
  apiParkingOrdersIdRoute,
  apiParkingOrdersFilesRoute,
  apiParkingOrdersApproveRoute,
  apiParkingOrdersRefuseRoute,
  apiParkingOrdersRefundRoute,
];

/** Admin only: family 4's partners and keys, admission rules, blacklist and callbacks; the SMS delivery records; family 3's ISVs. */
export const ADMIN_ROUTES: readonly RouteFile[] = [
  // Every admin list has its CSV export beside it (the same role, the same filters).
  apiStaffExportCsvRoute,
  apiPartnersRoute,
  apiPartnersExportCsvRoute,
  apiPartnersCallsRoute,
  apiPartnersCallsExportCsvRoute,
  apiPartnerRulesRoute,
  apiPartnerBlacklistRoute,
  apiPartnerBlacklistExportCsvRoute,
  apiPartnerBlacklistDeleteRoute,
  apiPartnerCallbacksRoute,
  apiPartnerCallbacksExportCsvRoute,
  apiPartnerCallbacksRetryRoute,
  apiSmsMessagesRoute,
  apiSmsMessagesExportCsvRoute,
  apiEscrowIsvsRoute,
  apiEscrowIsvsExportCsvRoute,
  apiEscrowNotificationsRoute,
  apiEscrowNotificationsExportCsvRoute,
  // Family 2's leases: the list and its export, what staff complete at move-out, and the completion (refunds the deposit); the tenants.
  apiLeasesRoute,
  apiLeasesExportCsvRoute,
  apiLeasesIdRoute,
  apiLeasesCompleteRetirementRoute,
  apiTenantsRoute,
  apiTenantsExportCsvRoute,
];
