import type { Kysely } from 'kysely';
import { DomainError } from '../../core/domain-error.js';
import type { Database } from '../../database.js';
import { isTransientConflict, retrying } from '../../platform/db/transaction-retry.js';
import type { Pii } from '../../platform/pii.js';
import type { SmsChannel } from '../../platform/sms/sms-channel.js';
import { recordAudit } from '../audit/index.js';
import { sendSmsCode, verifySmsCode } from '../sms/index.js';
import {
  findOrderById,
  findPartyByTokenHash,
  listParties,
  lockOrderById,
  updateOrder,
  updateParty,
} from './escrow.repository.js';
import type { EscrowOrderRow, EscrowPartyRow } from './escrow.table.js';
import { enqueueEscrowNotification } from './escrow-notifications.service.js';
import { ESCROW_STATE_LABELS, effectiveState, refusalOf } from './escrow-state.js';
import { type EscrowPublicTerms, isTokenShaped, tokenHash } from './escrow-terms.js';

type Db = Kysely<Database>;

export interface EscrowAcceptanceDeps {
  db: Db;
  pii: Pii;
  sms: SmsChannel;
}

export const ESCROW_SMS_PURPOSE = 'escrow_accept';
/** A party's URL answers for 30 days after the invitation's deadline, then is unknown. */
export const TOKEN_LIFETIME_AFTER_DEADLINE_MS = 30 * 86_400_000;

const NOT_FOUND = '邀约不存在或已失效';

async function resolve(deps: { db: Db }, token: string, now: number) {
  if (!isTokenShaped(token)) throw new DomainError('not_found', NOT_FOUND);
  const party = await findPartyByTokenHash(deps.db, tokenHash(token));
  if (!party) throw new DomainError('not_found', NOT_FOUND);
  const order = await findOrderById(deps.db, Number(party.order_id));
  if (!order || now > Number(order.deadline_at) + TOKEN_LIFETIME_AFTER_DEADLINE_MS) {
    throw new DomainError('not_found', NOT_FOUND);
  }
  return { party, order };
}

/** What the party's page shows: the terms, their role and masked phone, where the invitation stands. */
export async function viewInvitation(deps: { db: Db }, token: string, now: number) {
  const { party, order } = await resolve(deps, token, now);
  const parties = await listParties(deps.db, Number(order.id));
  const state = effectiveState(order, now);
  return {
    house_order_no: order.house_order_no,
    template_id: order.template_id,
    state,
    state_label: ESCROW_STATE_LABELS[state],
    deadline_at: Number(order.deadline_at),
    /** Pass back to accept/decline: a decision on terms that changed since is refused. */
    terms_hash: order.terms_hash,
    terms: JSON.parse(order.terms_json) as EscrowPublicTerms,
    party: {
      role: party.role,
      name: party.name,
      phone: party.phone_masked,
      accepted_at: party.accepted_at === null ? null : Number(party.accepted_at),
      declined_at: party.declined_at === null ? null : Number(party.declined_at),
    },
    parties: parties.map((p) => ({ role: p.role, name: p.name, accepted: p.accepted_at !== null })),
  };
}

/** Texts the party a code (purpose escrow_accept) while they may still decide. */
export async function sendAcceptanceCode(
  deps: EscrowAcceptanceDeps,
  token: string,
  ip: string,
  now: number,
): Promise<{ phone: string }> {
  const { party, order } = await resolve(deps, token, now);
  assertDecidable(order, party, now);
  await sendSmsCode(deps, { phone: deps.pii.decrypt(party.phone_enc), purpose: ESCROW_SMS_PURPOSE, ip }, now);
  return { phone: party.phone_masked };
}

export interface DecisionInput {
  code: string;
  ip: string;
  /** The terms_hash the page showed; when given, a decision on terms changed since is refused. */
  termsHash?: string | undefined;
}

export async function acceptInvitation(
  deps: EscrowAcceptanceDeps,
  token: string,
  input: DecisionInput,
  now: number,
): Promise<{ state: string; all_accepted: boolean }> {
  return decide(deps, token, { ...input, kind: 'accept', reason: null }, now);
}

export async function declineInvitation(
  deps: EscrowAcceptanceDeps,
  token: string,
  input: DecisionInput & { reason?: string | undefined },
  now: number,
): Promise<{ state: string; all_accepted: boolean }> {
  const reason = input.reason?.trim() ? input.reason.trim() : null;
  if (reason !== null && [...reason].length > 200) {
    throw DomainError.validation([{ field: 'reason', error: '拒绝原因不能超过200个字符' }]);
  }
  return decide(deps, token, { ...input, kind: 'decline', reason }, now);
}

/**
 * Records the party's decision: the SMS code proves the phone, then under the order's row lock
 * the state and the terms are checked again (a MODIFY or another decision may have landed), the
 * decision is written with when, the client IP and the sha256 of the terms decided on, and the
 * invitation moves: the last acceptance signs it, a decline ends it.
 */
async function decide(
  deps: EscrowAcceptanceDeps,
  token: string,
  input: DecisionInput & { kind: 'accept' | 'decline'; reason: string | null },
  now: number,
): Promise<{ state: string; all_accepted: boolean }> {
  const { party, order } = await resolve(deps, token, now);
  assertDecidable(order, party, now);
  if (input.termsHash !== undefined && input.termsHash !== order.terms_hash) throw termsChanged();
  const phone = deps.pii.decrypt(party.phone_enc);
  if (!(await verifySmsCode(deps, { phone, purpose: ESCROW_SMS_PURPOSE, code: input.code.trim() }, now))) {
    throw DomainError.validation([{ field: 'code', error: '验证码错误或已失效' }]);
  }
  const attempt = () =>
    deps.db.transaction().execute(async (trx) => {
      const locked = await lockOrderById(trx, Number(order.id));
      const parties = await listParties(trx, Number(order.id));
      const me = parties.find((p) => p.id === party.id);
      // MODIFY removed this party meanwhile.
      if (!locked || !me) throw new DomainError('not_found', NOT_FOUND);
      assertDecidable(locked, me, now);
      if (input.termsHash !== undefined && input.termsHash !== locked.terms_hash) throw termsChanged();
      const decision = {
        decision_ip: input.ip.slice(0, 64),
        decision_terms_hash: locked.terms_hash,
        ...(input.kind === 'accept'
          ? { accepted_at: now }
          : { declined_at: now, decline_reason: input.reason }),
      };
      await updateParty(trx, Number(me.id), decision);
      const allAccepted =
        input.kind === 'accept' && parties.every((p) => p.id === me.id || p.accepted_at !== null);
      const to = input.kind === 'decline' ? 'declined' : allAccepted ? 'signed' : 'inviting';
      if (to !== 'inviting')
        await updateOrder(trx, Number(locked.id), {
          state: to,
          version: locked.version + 1,
          updated_at: now,
        });
      const who = { role: me.role, seq: me.seq, out_id: me.out_id };
      const notify = { order: locked, state: to, now } as const;
      if (input.kind === 'accept') {
        await enqueueEscrowNotification(trx, {
          ...notify,
          event: 'accepted',
          data: { ...who, all_accepted: allAccepted, terms_hash: locked.terms_hash },
          // A MODIFY resets acceptances and bumps the version: accepting again is a new change.
          dedupeKey: `accepted:${me.id}:v${locked.version}`,
        });
        if (allAccepted)
          await enqueueEscrowNotification(trx, {
            ...notify,
            event: 'signed',
            data: { terms_hash: locked.terms_hash },
            dedupeKey: `signed:${locked.id}`,
          });
      } else {
        await enqueueEscrowNotification(trx, {
          ...notify,
          event: 'declined',
          // The reason is free text and may name people: the ISV reads it through `get`.
          data: { ...who, has_reason: input.reason !== null },
          dedupeKey: `declined:${locked.id}`,
        });
      }
      await recordAudit(trx, {
        actor: `escrow_party:${me.role}:${me.seq}`,
        entity: 'escrow_order',
        entity_id: locked.house_order_no,
        action: input.kind,
        from_state: 'inviting',
        to_state: to,
        reason: input.kind === 'decline' ? input.reason : `terms ${locked.terms_hash}`,
        created_at: now,
      });
      return { state: to, all_accepted: allAccepted };
    });
  return retrying(attempt, isTransientConflict);
}

function assertDecidable(order: EscrowOrderRow, party: EscrowPartyRow, now: number): void {
  const refusal = refusalOf(effectiveState(order, now));
  if (refusal) throw new DomainError('illegal_transition', refusal);
  if (party.accepted_at !== null) throw new DomainError('illegal_transition', '您已应约，无需重复操作');
  if (party.declined_at !== null) throw new DomainError('illegal_transition', '您已拒绝该邀约');
}

function termsChanged(): DomainError {
  return new DomainError('conflict', '邀约内容已变更，请刷新后重新确认');
}
