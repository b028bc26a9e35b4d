import type { StaffMember } from '../staff/index.js';
import { type ParkingJobDeps, parkingOrderJobs } from './parking.jobs.js';
import {
  decideReview,
  getOrderForStaff,
  listOrdersForStaff,
  readOrderFile,
  readOwnOrderFile,
  refundOrder,
} from './parking-order-review.service.js';
import { type OrderPart, payOrder, placeOrder } from './parking-orders.service.js';

type Staff = Pick<StaffMember, 'id' | 'username'>;

/**
 * Family 5's orders: the renewal / purchase order with its uploads (call 6), WeChat pay
 * (call 7), the staff's review, refunds and files, and the jobs that close unpaid orders and
 * remind before a permit ends. The payment side is PARKING_PAYMENT_HOOKS, registered with the
 * payments module by the composition root.
 */
export function createParkingOrdersModule(deps: ParkingJobDeps) {
  return {
    place: (openId: string, parts: AsyncIterable<OrderPart>, now: number) =>
      placeOrder(deps, openId, parts, now),
    pay: (openId: string, input: Parameters<typeof payOrder>[2], now: number) =>
      payOrder(deps, openId, input, now),
    ownFile: (openId: string, orderId: string, slot: number) => readOwnOrderFile(deps, openId, orderId, slot),
    staff: {
      list: (filter: Parameters<typeof listOrdersForStaff>[1]) => listOrdersForStaff(deps, filter),
      get: (orderId: string) => getOrderForStaff(deps, orderId),
      file: (orderId: string, fileId: number) => readOrderFile(deps, orderId, fileId),
      approve: (orderId: string, staff: Staff, now: number) =>
        decideReview(deps, orderId, { approve: true }, staff, now),
      refuse: (orderId: string, reason: string, staff: Staff, now: number) =>
        decideReview(deps, orderId, { approve: false, reason }, staff, now),
      refund: (orderId: string, reason: string, staff: Staff, now: number) =>
        refundOrder(deps, orderId, reason, staff, now),
    },
    /** Upload limits, for the route's multipart parser. */
    uploads: deps.uploads,
    jobs: parkingOrderJobs(deps),
  };
}

export type ParkingOrdersModule = ReturnType<typeof createParkingOrdersModule>;
