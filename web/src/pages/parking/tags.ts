/** How the parking pages colour the states (labels are the server's, api/parking.ts). */
export const AUDIT_COLORS: Record<string, string> = {
  '02': 'processing',
  '03': 'success',
  '04': 'error',
};
export const ORDER_COLORS: Record<string, string> = { '01': 'gold', '03': 'green', '21': 'orange' };
