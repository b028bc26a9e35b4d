export { PERCENT_SCALE } from './borrow-info.validation.js';
export { readSonOrderId } from './loan-order-access.js';
export {
  type BorrowerView,
  borrowerByIdCardHash,
  borrowersByMatchHash,
  type MatchedBorrowerView,
  ordersOfBorrower,
} from './loan-order-borrower.service.js';
export {
  CITIES,
  CITY_CODES,
  type City,
  DISTRICTS,
  GUIHUAYONGTU,
  HOUSE_TYPES,
  LOAN_LIMITS,
  MARITAL_STATUSES,
  MORTGAGE_TYPES,
  ORDER_TYPES,
  PRODUCTS,
} from './loan-order-catalog.js';
export type { Actor, LoanOrderDeps } from './loan-order-deps.js';
export { rebuildDeskCounts } from './loan-order-desk.repository.js';
export {
  DESK_PAGE_SIZE,
  type DeskExportRow,
  type DeskPage,
  type DeskRow,
  deskSummary,
  isDesk,
  listDesk,
  listStageQueue,
} from './loan-order-desk.service.js';
export {
  saveBorrowInfo,
  saveCustomerInfo,
  saveHouseInfo,
  saveSuggestion,
} from './loan-order-edit.service.js';
export {
  BORROW_INFO_FIELDS,
  CUSTOMER_INFO_FIELDS,
  DESK_LIST_FIELDS,
  FIELD_LABELS,
  HOUSE_INFO_FIELDS,
  ORDER_CREATE_FIELDS,
  TRANSITION_FIELDS,
  WORKBENCH_FIELDS,
} from './loan-order-fields.js';
export { personMatchHash, platformMd5, sealPerson } from './loan-order-person-match.js';
export {
  type CustomerView,
  findCustomerByIdCard,
  getOrderDetail,
  type OrderDetail,
} from './loan-order-read.service.js';
export { isStage, STAGE_LABELS, STAGES, type Stage, type Transition } from './loan-order-state.js';
export {
  type LoanOrderStats,
  STATS_DEFAULT_DAYS,
  STATS_FIELDS,
  STATS_MAX_DAYS,
  type StageStats,
} from './loan-order-stats.service.js';
export {
  createOrder,
  moveOrder,
  moveOrderAtItsStage,
  type TransitionResult,
} from './loan-order-workflow.service.js';
export { createLoanOrdersModule, type FormSave, type LoanOrdersModule } from './loan-orders.module.js';
