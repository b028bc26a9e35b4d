import type { Kysely } from 'kysely';
import type { RawInput } from '../../core/field-reader.js';
import type { Database } from '../../database.js';
import type { JobDefinition } from '../../platform/jobs/job-runner.js';
import type { Pii } from '../../platform/pii.js';
import type { SmsChannel } from '../../platform/sms/sms-channel.js';
import { callbackExportPages, listCallbacks, retryCallback } from '../outbox/index.js';
import { checkAdmission, readRules, saveRules } from './admission.service.js';
import { applyBindCard } from './bind-card.service.js';
import { addToBlacklist } from './blacklist.service.js';
import { removeFromBlacklist } from './blacklist-removal.service.js';
import { type CallbackTransport, deliverCallbacks } from './callback-delivery.service.js';
import { listBlacklistBefore, listPartners, listPartnersAfter } from './partner.repository.js';
import { partnerCallExportPages, partnerCalls } from './partner-calls.service.js';
import {
  createPartner,
  findPartner,
  forgetOldSignatures,
  partnerCallLog,
  rememberSignature,
} from './partners.service.js';

export interface PartnerModuleDeps {
  db: Kysely<Database>;
  pii: Pii;
  sms: SmsChannel;
  /** How callbacks reach the platform. */
  callbackTransport: CallbackTransport;
  /** How long a (ua, sign) pair is remembered against replays. */
  replayMs: number;
}

/** Family 4's lender side: partners, admission, card binding, blacklist and callbacks. */
export function createPartnerModule(deps: PartnerModuleDeps) {
  const { db, replayMs } = deps;
  const logCall = partnerCallLog(db);
  return {
    find: (ua: string) => findPartner(deps, ua),
    rememberSignature: (ua: string, sign: string, now: number) => rememberSignature(db, ua, sign, now),
    logCall,
    checkAdmission: (args: RawInput, now: number) => checkAdmission(deps, args, now),
    applyBindCard: (ua: string, args: RawInput, now: number) => applyBindCard(deps, ua, args, now),
    rules: () => readRules(db),
    saveRules: (input: RawInput, now: number, actor: string) => saveRules(db, input, now, actor),
    list: () => listPartners(db),
    /** The partners a keyset page at a time, in the list's order (the export). */
    exportPages: (after: { id: number } | undefined, limit: number) =>
      listPartnersAfter(db, after?.id, limit),
    create: (input: Parameters<typeof createPartner>[1], now: number, actor: string) =>
      createPartner(deps, input, now, actor),
    /** The newest entries (`limit` of them), older than `beforeId` when given: the list's pages. */
    blacklist: (limit: number, beforeId?: number) => listBlacklistBefore(db, beforeId, limit),
    /** The blacklist a keyset page at a time, newest first (the export): reasons and times, never a hash. */
    blacklistExportPages: (after: { id: number } | undefined, limit: number) =>
      listBlacklistBefore(db, after?.id, limit),
    removeFromBlacklist: (id: number, now: number, actor: string) => removeFromBlacklist(db, id, now, actor),
    addToBlacklist: (input: RawInput, now: number, actor: string) => addToBlacklist(deps, input, now, actor),
    /** The newest callbacks (100 unless told), older than `beforeId` when given: the list's pages. */
    callbacks: (status: string | undefined, limit?: number, beforeId?: number) =>
      beforeId === undefined
        ? listCallbacks(db, status, limit)
        : callbackExportPages(db, status)({ id: beforeId }, limit ?? 100),
    callbackExportPages: (status: string | undefined) => callbackExportPages(db, status),
    retryCallback: (actor: string, id: number, now: number) => retryCallback(db, actor, id, now),
    calls: (partnerId: number, input: RawInput) => partnerCalls(db, partnerId, input),
    /** The partner's call log a keyset page at a time; refuses an unknown partner before. */
    callExportPages: (partnerId: number) => partnerCallExportPages(db, partnerId),
    jobs: [
      {
        name: 'partner.deliver-callbacks',
        intervalMs: 10_000,
        run: (now) => deliverCallbacks(deps, deps.callbackTransport, now).then(() => {}),
      },
      {
        name: 'partner.forget-signatures',
        intervalMs: 10 * 60_000,
        run: (now) => forgetOldSignatures(db, now, replayMs),
      },
    ] satisfies JobDefinition[],
  };
}

export type PartnerModule = ReturnType<typeof createPartnerModule>;
