import { STAGE_LABELS, STAGES } from '../loan-orders/index.js';

/** Back-office roles: one per workflow stage, plus admin who manages accounts. */
export const STAFF_ROLES = [...STAGES, 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const STAFF_ROLE_LABELS: Record<StaffRole, string> = { ...STAGE_LABELS, admin: '管理员' };

export function isStaffRole(value: string): value is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(value);
}
