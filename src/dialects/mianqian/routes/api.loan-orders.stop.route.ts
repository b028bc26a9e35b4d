import { stageMoveRoute } from './shared.js';

/** POST /api/loan-orders/:son_order_id/stop at the order's current stage (needs that stage's role). */
export const apiLoanOrdersStopRoute = stageMoveRoute('/api/loan-orders/:son_order_id/stop', 'stop');
