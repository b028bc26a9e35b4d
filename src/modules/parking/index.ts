export {
  closeOverdueOrders,
  PARKING_REMIND_BEFORE_MS,
  parkingOrderJobs,
  remindExpiringCards,
} from './parking.jobs.js';
export { createParkingModule, type ParkingModule, type ParkingModuleDeps } from './parking.module.js';
export type {
  ParkingCardRow,
  ParkingExtraRow,
  ParkingOrderRow,
  ParkingOrgRow,
  ParkingParkRow,
  ParkingPlateRow,
  ParkingProductRow,
  ParkingProductVersionRow,
  ParkingUserRow,
} from './parking.table.js';
export {
  addParkingUnits,
  PARKING_UNIT_LABELS,
  PARKING_UNIT_TYPES,
  type ParkingUnitType,
} from './parking-order-dates.js';
export { createParkingOrdersModule, type ParkingOrdersModule } from './parking-orders.module.js';
export {
  EMPTY_FILE_SLOT,
  type OrderPart,
  PARKING_ORDER_PURPOSE,
  PARKING_PAY_PERIOD_S,
  PARKING_PAYMENT_HOOKS,
  type ParkingOrderView,
} from './parking-orders.service.js';
export type { NewExtra, NewOrg, NewPark, NewProduct, ParkProductRow } from './parking-parks.service.js';
export { ResealKeyMismatch, type ResealReport, resealParkingDocuments } from './parking-reseal.service.js';
export {
  PARKING_AUDIT_STATE_LABELS,
  PARKING_AUDIT_STATES,
  PARKING_CARD_STATE_LABELS,
  PARKING_CARD_STATES,
  PARKING_CARD_TRANSITIONS,
  PARKING_ORDER_STATE_LABELS,
  PARKING_ORDER_STATES,
  PARKING_ORDER_TRANSITIONS,
  type ParkingAuditState,
  type ParkingCardState,
  type ParkingOrderState,
} from './parking-state.js';
export {
  type FindByCarNumInput,
  NOT_SIGNED_IN,
  newParkingId,
  ONLINE_PLATE_CHANNEL,
  PARKING_SMS_PURPOSE,
  type ParkingCaller,
  type ParkingCardView,
  type ParkingUserView,
  parsePlateList,
  type UpdateParkingUserInput,
  userView as parkingUserView,
} from './parking-users.service.js';
