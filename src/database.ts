import type { AuditTable } from './modules/audit/audit.table.js';
import type {
  EscrowCallLogTable,
  EscrowIsvTable,
  EscrowOrderTable,
  EscrowPartyTable,
  EscrowSignatureTable,
} from './modules/escrow/escrow.table.js';
import type { EscrowPayoutTable, EscrowReleaseTable } from './modules/escrow/escrow-funds.table.js';
import type { EscrowNotificationTable } from './modules/escrow/escrow-notifications.table.js';
import type {
  EntrustTable,
  LeaseInstallmentTable,
  LeaseTable,
  PayModeTable,
  RentalAgentTable,
  RentalStoreTable,
  RoomTable,
} from './modules/leases/lease.table.js';
import type { LedgerAccountTable, LedgerTransferTable } from './modules/ledger/ledger.table.js';
import type {
  AgentTable,
  LoanOrderCustomerTable,
  LoanOrderDeskCountTable,
  LoanOrderPersonTable,
  LoanOrderPictureTable,
  LoanOrderSuggestionTable,
  LoanOrderTable,
  PictureCategoryTable,
  SonOrderIdSequenceTable,
} from './modules/loan-orders/loan-order.table.js';
import type {
  ParkingCardTable,
  ParkingExtraTable,
  ParkingOpenIdTable,
  ParkingOrderFileTable,
  ParkingOrderTable,
  ParkingOrgTable,
  ParkingParkTable,
  ParkingPlateTable,
  ParkingProductTable,
  ParkingProductVersionTable,
  ParkingSessionTable,
  ParkingUserTable,
} from './modules/parking/parking.table.js';
import type {
  BankCardTable,
  BindFailureTable,
  PartnerBlacklistTable,
  PartnerCallbackTable,
  PartnerCallLogTable,
  PartnerSettingTable,
  PartnerSignatureTable,
  PartnerTable,
} from './modules/partner/partner.table.js';
import type { PaymentTable } from './modules/payments/payment.table.js';
import type { RefundTable } from './modules/payments/refund.table.js';
import type { SmsCodeTable } from './modules/sms/sms-code.table.js';
import type { SmsMessageTable } from './modules/sms/sms-message.table.js';
import type { StaffLoginFailureTable, StaffSessionTable, StaffTable } from './modules/staff/staff.table.js';
import type { TenantSessionTable, TenantTable } from './modules/tenants/tenant.table.js';
import { type Db as DbOf, type OpenOptions, openDatabase as openDatabaseOf } from './platform/db/database.js';
import { preparedQueriesOver } from './platform/db/prepared-query.js';
import type { JobTable } from './platform/jobs/job.table.js';
import type { LimitKeyTable } from './platform/limits/limit-key.table.js';

/** Every table, as Kysely sees it; each module owns the row types of its own tables. */
export interface Database {
  staff: StaffTable;
  staff_sessions: StaffSessionTable;
  staff_login_failures: StaffLoginFailureTable;
  audit_log: AuditTable;
  agents: AgentTable;
  loan_orders: LoanOrderTable;
  loan_order_desk_counts: LoanOrderDeskCountTable;
  son_order_id_sequences: SonOrderIdSequenceTable;
  loan_order_people: LoanOrderPersonTable;
  loan_order_customers: LoanOrderCustomerTable;
  loan_order_suggestions: LoanOrderSuggestionTable;
  picture_categories: PictureCategoryTable;
  loan_order_pictures: LoanOrderPictureTable;
  payments: PaymentTable;
  refunds: RefundTable;
  jobs: JobTable;
  limit_keys: LimitKeyTable;
  sms_codes: SmsCodeTable;
  sms_messages: SmsMessageTable;
  tenants: TenantTable;
  tenant_sessions: TenantSessionTable;
  rental_stores: RentalStoreTable;
  rental_agents: RentalAgentTable;
  pay_modes: PayModeTable;
  entrusts: EntrustTable;
  rooms: RoomTable;
  leases: LeaseTable;
  lease_installments: LeaseInstallmentTable;
  partners: PartnerTable;
  partner_signatures: PartnerSignatureTable;
  partner_call_log: PartnerCallLogTable;
  partner_settings: PartnerSettingTable;
  partner_blacklist: PartnerBlacklistTable;
  bank_cards: BankCardTable;
  bind_failures: BindFailureTable;
  partner_callbacks: PartnerCallbackTable;
  escrow_isvs: EscrowIsvTable;
  escrow_signatures: EscrowSignatureTable;
  escrow_call_log: EscrowCallLogTable;
  escrow_orders: EscrowOrderTable;
  escrow_parties: EscrowPartyTable;
  ledger_accounts: LedgerAccountTable;
  ledger_transfers: LedgerTransferTable;
  escrow_releases: EscrowReleaseTable;
  escrow_payouts: EscrowPayoutTable;
  escrow_notifications: EscrowNotificationTable;
  parking_parks: ParkingParkTable;
  parking_orgs: ParkingOrgTable;
  parking_extras: ParkingExtraTable;
  parking_products: ParkingProductTable;
  parking_product_versions: ParkingProductVersionTable;
  parking_users: ParkingUserTable;
  parking_openids: ParkingOpenIdTable;
  parking_sessions: ParkingSessionTable;
  parking_plates: ParkingPlateTable;
  parking_cards: ParkingCardTable;
  parking_orders: ParkingOrderTable;
  parking_order_files: ParkingOrderFileTable;
}

export type { Dialect, OpenOptions } from './platform/db/database.js';

/** The application's database: every module's tables. */
export type Db = DbOf<Database>;

export function openDatabase(url: string, opts: OpenOptions = {}): Db {
  return openDatabaseOf<Database>(url, opts);
}

/** Statements compiled once per dialect, typed over the application's tables. */
export const { preparedQuery, preparedRowStatement } = preparedQueriesOver<Database>();
