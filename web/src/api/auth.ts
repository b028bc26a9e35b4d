import { STAGE_LABELS } from '../../../src/modules/loan-orders/loan-order-state';
import { apiGet, apiPost } from './client';

/**
 * Back-office roles and their labels: one per loan stage (the server's own table, which imports
 * nothing, in workflow order), then admin, escrow and parking as src/modules/staff/staff-roles.ts
 * adds them.
 */
export const ROLE_LABELS = {
  ...STAGE_LABELS,
  admin: '管理员',
  escrow: '资金监管',
  parking: '停车管理',
} as const;
export type Role = keyof typeof ROLE_LABELS;

/** StaffView (src/dialects/mianqian/views.ts): who is logged in. */
export interface Staff {
  id: number;
  username: string;
  display_name: string;
  roles: string[];
}

export interface LoginAnswer {
  token: string;
  /** Epoch ms. */
  expires_at: number;
  staff: Staff;
}

/** POST /api/auth/login; refused 200 (用户名或密码错误, with field errors) or 429 (locked out). */
export const login = (username: string, password: string) =>
  apiPost<LoginAnswer>('/api/auth/login', { username, password });

export const logout = () => apiPost<null>('/api/auth/logout');

/** GET /api/auth/me; a 401 (no session) goes to the login page through the client. */
export const me = () => apiGet<Staff>('/api/auth/me');
