import type { Kysely } from 'kysely';
import type { RawInput } from '../../core/field-reader.js';
import type { Database } from '../../database.js';
import { groupCommit } from '../../platform/db/group-commit.js';
import type { JobDefinition } from '../../platform/jobs/job-runner.js';
import type { PayoutProvider } from '../../platform/payouts/index.js';
import type { Pii } from '../../platform/pii.js';
import type { SmsChannel } from '../../platform/sms/sms-channel.js';
import type { PaymentDeps } from '../payments/index.js';
import type { StaffMember } from '../staff/index.js';
import {
  acceptInvitation,
  type DecisionInput,
  declineInvitation,
  sendAcceptanceCode,
  viewInvitation,
} from './escrow-acceptance.service.js';
import { payIntoEscrow } from './escrow-funds.service.js';
import {
  createIsv,
  type EscrowIsv,
  findIsv,
  isvCallLog,
  isvSignatures,
  listEscrowIsvs,
  type NewEscrowIsv,
} from './escrow-isvs.service.js';
import {
  deliverEscrowNotifications,
  type EscrowNotifyTransport,
  httpEscrowNotifyTransport,
  listEscrowNotifications,
} from './escrow-notifications.service.js';
import type { EscrowNotifyStatus } from './escrow-notifications.table.js';
import {
  closeOverdueInvitations,
  getEscrowOrder,
  type IsvSignature,
  operateEscrow,
} from './escrow-orders.service.js';
import { escrowOrderExportPages } from './escrow-orders-export.service.js';
import {
  approveRelease,
  escrowOrderView,
  type ReleaseRequestInput,
  rejectRelease,
  releaseQueue,
  releaseQueueExportPages,
  requestRelease,
  resumeStuckPayouts,
  retryPayout,
} from './escrow-payouts.service.js';

export interface EscrowModuleDeps {
  db: Kysely<Database>;
  pii: Pii;
  sms: SmsChannel;
  /** Where the H5 acceptance pages are served, e.g. `https://fangtong.example.com`. */
  publicBaseUrl: string;
  /** How long an (app_key, sign) pair is remembered against replays. */
  replayMs: number;
  /** The payments module's dependencies: the buyer pays into escrow through it. */
  payments: PaymentDeps;
  /** Where released and refunded money leaves to a bank card (the sandbox by default). */
  payouts: PayoutProvider;
  /** How notifications reach the ISVs' callback URLs (HTTP by default). */
  notifyTransport?: EscrowNotifyTransport | undefined;
}

type IsvRef = Pick<EscrowIsv, 'id' | 'appKey' | 'storeIds'>;

/** Family 3's domain: ISVs, trade-fund escrow invitations and the parties' acceptance. */
export function createEscrowModule(deps: EscrowModuleDeps) {
  const { db, replayMs } = deps;
  // CREATEs arriving together share a commit on SQLite (one log sync for all of them).
  const orderDeps = { ...deps, commitTogether: groupCommit(db) };
  const notifyTransport = deps.notifyTransport ?? httpEscrowNotifyTransport;
  const signatures = isvSignatures(db);
  const logCall = isvCallLog(db);
  return {
    isvs: {
      create: (input: NewEscrowIsv, now: number, actor: string) => createIsv(deps, input, now, actor),
      list: () => listEscrowIsvs(db),
      /** The ISVs a keyset page at a time, in the list's order (the export). */
      exportPages: (after: { id: number } | undefined, limit: number) => listEscrowIsvs(db, after?.id, limit),
      find: (appKey: string) => findIsv(deps, appKey),
    },
    /** A request's signature, spent once by what the call does (see OneTimeSignature). */
    signature: (appKey: string, sign: string, now: number) => signatures.signature(appKey, sign, now),
    logCall,
    operate: (isv: IsvRef, request: RawInput, now: number, signature?: IsvSignature) =>
      operateEscrow(orderDeps, isv, request, now, signature),
    get: (isv: Pick<EscrowIsv, 'id'>, request: RawInput, now: number) =>
      getEscrowOrder(deps, isv, request, now),
    acceptance: {
      view: (token: string, now: number) => viewInvitation(deps, token, now),
      sendCode: (token: string, ip: string, now: number) => sendAcceptanceCode(deps, token, ip, now),
      accept: (token: string, input: DecisionInput, now: number) => acceptInvitation(deps, token, input, now),
      decline: (token: string, input: DecisionInput & { reason?: string | undefined }, now: number) =>
        declineInvitation(deps, token, input, now),
    },
    /** Money into escrow: the buyer pays a depository amount (WeChat Pay v3 JSAPI). */
    pay: (token: string, input: { amountType: string; openId: string }, now: number) =>
      payIntoEscrow(deps, token, input, now),
    /** Money out of escrow, maker-checker, by staff with the escrow role. */
    funds: {
      view: (staff: StaffMember, houseOrderNo: string, now: number) =>
        escrowOrderView(deps, staff, houseOrderNo, now),
      request: (staff: StaffMember, houseOrderNo: string, input: ReleaseRequestInput, now: number) =>
        requestRelease(deps, staff, houseOrderNo, input, now),
      /** The checkers' queue across orders (GET /api/escrow-releases). */
      queue: (staff: StaffMember, input: RawInput) => releaseQueue(deps, staff, input),
      /** The queue's filter checked now, then its rows a keyset page at a time (the export). */
      queueExportPages: (staff: StaffMember, input: RawInput) => releaseQueueExportPages(deps, staff, input),
      approve: (staff: StaffMember, releaseId: number, now: number) =>
        approveRelease(deps, staff, releaseId, now),
      reject: (staff: StaffMember, releaseId: number, input: { reason?: unknown }, now: number) =>
        rejectRelease(deps, staff, releaseId, input, now),
      retryPayout: (staff: StaffMember, payoutId: number, now: number) =>
        retryPayout(deps, staff, payoutId, now),
    },
    /** The outbox of notifications to the ISVs, newest first (100 unless told), older than `beforeId` when given: the admin's list. */
    notifications: (status: EscrowNotifyStatus | undefined, limit?: number, beforeId?: number) =>
      listEscrowNotifications(db, status, limit, beforeId),
    /** The same outbox a keyset page at a time, newest first (the export). */
    notificationExportPages:
      (status: EscrowNotifyStatus | undefined) => (after: { id: number } | undefined, limit: number) =>
        listEscrowNotifications(db, status, limit, after?.id),
    /** The staff's order list: its filter checked now, then keyset pages (the export). */
    orderExportPages: (staff: StaffMember, input: RawInput, now: number) =>
      escrowOrderExportPages(db, staff, input, now),
    /** The payout provider, so a test or the demo can reach the sandbox. */
    payoutProvider: deps.payouts,
    jobs: [
      {
        name: 'escrow.close-overdue',
        intervalMs: 60_000,
        run: (now) => closeOverdueInvitations(deps, now).then(() => {}),
      },
      {
        name: 'escrow.forget-signatures',
        intervalMs: 10 * 60_000,
        run: (now) => signatures.forgetBefore(now, replayMs),
      },
      {
        name: 'escrow.deliver-notifications',
        intervalMs: 10_000,
        run: (now) => deliverEscrowNotifications(deps, notifyTransport, now).then(() => {}),
      },
      {
        // Payouts left pending by a crash, or not final at the provider: asked again, same number.
        name: 'escrow.resume-payouts',
        intervalMs: 60_000,
        run: (now) => resumeStuckPayouts(deps, now).then(() => {}),
      },
    ] satisfies JobDefinition[],
  };
}

export type EscrowModule = ReturnType<typeof createEscrowModule>;
