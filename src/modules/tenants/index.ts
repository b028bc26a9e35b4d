export { findDepositHeld as tenantDepositHeld } from './tenant.repository.js';
export { createTenantsModule, type TenantsModule } from './tenants.module.js';
export {
  authenticateTenant,
  findOrCreateTenant,
  giveDeposit,
  loginTenant,
  TENANT_LOGIN_PURPOSE,
  type Tenant,
  takeDeposit,
} from './tenants.service.js';
