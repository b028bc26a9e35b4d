import { DomainError } from '../../core/domain-error.js';
import { groupCommit } from '../../platform/db/group-commit.js';
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

type Staff = Pick<StaffMember, 'id' | 'username' | 'roles'>;

/** Parking staff review, refund and read documents: the `parking` role, or an admin. */
function asParkingStaff(staff: Staff): Staff {
  const roles = staff.roles as readonly string[];
  if (!roles.includes('parking') && !roles.includes('admin'))
    throw new DomainError('forbidden', '需要停车场审核权限');
  return staff;
}

/**
 * Family 5's orders: the renewal / purchase order with its uploads (call 6), WeChat pay
 * (call 7), the staff's review, refunds and files, and the jobs that close unpaid orders and
 * remind before a permit ends. The payment side is PARKING_PAYMENT_HOOKS, registered with the
 * payments module by the composition root.
 */
export function createParkingOrdersModule(deps: ParkingJobDeps) {
  // Orders arriving together share a commit on SQLite (one log sync for all of them).
  const placing = { ...deps, commitTogether: groupCommit(deps.db) };
  return {
    place: (openId: string, parts: AsyncIterable<OrderPart>, now: number) =>
      placeOrder(placing, openId, parts, now),
    pay: (openId: string, input: Parameters<typeof payOrder>[2], now: number) =>
      payOrder(deps, openId, input, now),
    ownFile: (openId: string, orderId: string, slot: number) => readOwnOrderFile(deps, openId, orderId, slot),
    /** The back office's side; every call needs the `parking` role (or admin). */
    staff: {
      list: async (staff: Staff, filter: Parameters<typeof listOrdersForStaff>[1]) => {
        asParkingStaff(staff);
        return listOrdersForStaff(deps, filter);
      },
      get: async (staff: Staff, orderId: string) => {
        asParkingStaff(staff);
        return getOrderForStaff(deps, orderId);
      },
      file: async (staff: Staff, orderId: string, fileId: number) => {
        asParkingStaff(staff);
        return readOrderFile(deps, orderId, fileId);
      },
      approve: async (staff: Staff, orderId: string, now: number) =>
        decideReview(deps, orderId, { approve: true }, asParkingStaff(staff), now),
      refuse: async (staff: Staff, orderId: string, reason: string, now: number) =>
        decideReview(deps, orderId, { approve: false, reason }, asParkingStaff(staff), now),
      refund: async (staff: Staff, orderId: string, reason: string, now: number) =>
        refundOrder(deps, orderId, reason, asParkingStaff(staff), now),
    },
    /** Upload limits, for the route's multipart parser. */
    uploads: deps.uploads,
    jobs: parkingOrderJobs(deps),
  };
}

export type ParkingOrdersModule = ReturnType<typeof createParkingOrdersModule>;
