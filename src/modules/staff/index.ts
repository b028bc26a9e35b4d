export { createStaffModule, type StaffModule } from './staff.module.js';
export {
  authenticate,
  createStaff,
  deleteExpiredSessions,
  type LoginResult,
  listStaffMembers,
  login,
  logout,
  type StaffMember,
  type StaffSessionCache,
} from './staff.service.js';
export { STAFF_UPDATE_FIELDS, type StaffAccount } from './staff-account.service.js';
export { isStaffRole, STAFF_ROLE_LABELS, STAFF_ROLES, type StaffRole } from './staff-roles.js';
