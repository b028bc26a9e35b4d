/** Back-office roles: one per workflow stage, plus admin who manages accounts. */
export const STAFF_ROLES = [
  'kefu',
  'mianshen',
  'mianqian',
  'quanzheng',
  'shencha',
  'zhongshen',
  'admin',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const STAFF_ROLE_LABELS: Record<StaffRole, string> = {
  kefu: '客服',
  mianshen: '面审',
  mianqian: '面签',
  quanzheng: '权证',
  shencha: '审查',
  zhongshen: '终审',
  admin: '管理员',
};

export function isStaffRole(value: string): value is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(value);
}
