import { stageMoveRoute } from './shared.js';

/** POST /api/loan-orders/:son_order_id/return_kefu at the order's current stage (needs that stage's role). */
export const apiLoanOrdersReturnKefuRoute = stageMoveRoute(
  '/api/loan-orders/:son_order_id/return_kefu',
  'return_kefu',
);
