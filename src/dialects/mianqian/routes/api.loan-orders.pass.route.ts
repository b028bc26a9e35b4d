import { stageMoveRoute } from './shared.js';

/** POST /api/loan-orders/:son_order_id/pass at the order's current stage (needs that stage's role). */
export const apiLoanOrdersPassRoute = stageMoveRoute('/api/loan-orders/:son_order_id/pass', 'pass');
