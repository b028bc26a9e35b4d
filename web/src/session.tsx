import { createContext, useContext } from 'react';
import type { Role, Staff } from './api/auth';

/** Who is logged in, as the shell loaded it from /api/auth/me; pages read it with useStaff(). */
export const StaffContext = createContext<Staff | null>(null);

export function useStaff(): Staff {
  const staff = useContext(StaffContext);
  if (!staff) throw new Error('useStaff outside the logged-in shell');
  return staff;
}

/**
 * Whether the user holds one of `roles` (none listed: any staff). Only decides what the menu
 * shows and which pages open: the server checks every call again and answers 403 on its own.
 */
export function mayOpen(staff: Staff, roles: readonly Role[]): boolean {
  return roles.length === 0 || roles.some((role) => staff.roles.includes(role));
}
