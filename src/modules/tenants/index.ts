export { findDepositHeld as tenantDepositHeld } from './tenant.repository.js';
export {
  checkDeposits,
  DEPOSIT_COUNTERPARTS,
  type DepositCounterpart,
  type DepositDisagreement,
  type DepositMove,
  depositAccount,
  giveDeposit,
  holdDeposit,
  lockDeposit,
  resolveDepositHold,
  TENANT_DEPOSIT_KIND,
  takeDeposit,
} from './tenant-deposit.service.js';
export { createTenantsModule, type TenantsModule } from './tenants.module.js';
export {
  authenticateTenant,
  findOrCreateTenant,
  loginTenant,
  TENANT_LOGIN_PURPOSE,
  type Tenant,
} from './tenants.service.js';
