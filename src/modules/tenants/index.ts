export {
  authenticateTenant,
  findOrCreateTenant,
  giveDeposit,
  loginTenant,
  TENANT_LOGIN_PURPOSE,
  type Tenant,
  takeDeposit,
  tenantDepositHeld,
} from './tenants.service.js';
