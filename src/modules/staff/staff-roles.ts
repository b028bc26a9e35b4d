import { STAGE_LABELS, STAGES } from '../loan-orders/index.js';

/**
 * Back-office roles: one per workflow stage, admin who manages accounts, escrow who requests
 * and (another escrow member) approves releases and refunds of family 3's escrowed money, and
 * parking who configures family 5's parks and products and reviews and refunds its orders.
 */
export const STAFF_ROLES = [...STAGES, 'admin', 'escrow', 'parking'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const STAFF_ROLE_LABELS: Record<StaffRole, string> = {
  ...STAGE_LABELS,
  admin: '管理员',
  escrow: '资金监管',
  parking: '停车管理',
};

export function isStaffRole(value: string): value is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(value);
}
