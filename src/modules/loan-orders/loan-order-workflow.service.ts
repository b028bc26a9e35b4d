import { DomainError } from '../../core/domain-error.js';
import { FieldReader, type RawInput } from '../../core/field-reader.js';
import { parseShanghaiDateTime } from '../../core/time.js';
import { isUniqueViolation } from '../../platform/db/database.js';
import { sealMobile } from '../../platform/pii-fields.js';
import { recordAudit } from '../audit/index.js';
import { enqueueCallback } from '../outbox/index.js';
import { insertOrder, updateOrderIfUnchanged } from './loan-order.repository.js';
import { CONFLICT_MESSAGE, loadOrder, loadOrderAt, requireStageRole } from './loan-order-access.js';
import { findAgentByMobileHash, insertAgent } from './loan-order-agent.repository.js';
import { CITIES, type City, ORDER_TYPES } from './loan-order-catalog.js';
import { type Actor, actorRef, type LoanOrderDeps } from './loan-order-deps.js';
import { adjustDeskCount } from './loan-order-desk.repository.js';
import { FIELD_LABELS } from './loan-order-fields.js';
import {
  describePosition,
  nextPosition,
  STAGE_LABELS,
  type Stage,
  SUGGEST_TYPE_OF_STAGE,
  TRANSITION_LABELS,
  type Transition,
  withDesk,
} from './loan-order-state.js';
import { insertSuggestion } from './loan-order-suggestion.repository.js';
import { allocateSonOrderId } from './son-order-id.js';

/** spec suggest_type 6: a 面审 return is recorded as its own kind. */
const SUGGEST_TYPE_MIANSHEN_RETURN = 6;

export interface TransitionResult {
  son_order_id: string;
  stage: Stage;
  state: string;
  is_bohui: number;
}

/**
 * Moves an order on from `stage`: pass, return to 客服 (驳回) or stop. The move, the count
 * buckets, the suggestion row and the audit row are one transaction; a concurrent change to
 * the same order makes this one fail with nothing written.
 */
export async function moveOrder(
  deps: LoanOrderDeps,
  actor: Actor,
  input: {
    sonOrderId: string;
    stage: Stage;
    transition: Transition;
    reason?: string | undefined;
    badRecord?: boolean;
  },
  now: number,
): Promise<TransitionResult> {
  requireStageRole(actor, input.stage);
  const reason = input.reason?.trim();
  if (reason && [...reason].length > 1000) {
    throw DomainError.validation([{ field: 'mianqian_suggest', error: '原因不能超过1000个字符' }]);
  }
  return deps.db.transaction().execute(async (trx) => {
    const order = await loadOrderAt(trx, input.sonOrderId, input.stage);
    const move = nextPosition(order, input.transition);
    if ('refused' in move) throw new DomainError('illegal_transition', move.refused);
    const stamps: { face_trial_time?: number; mianqian_opt_time?: number } = {};
    if (input.stage === 'mianshen' && input.transition === 'pass') stamps.face_trial_time = now;
    if (input.stage === 'mianqian') stamps.mianqian_opt_time = now;
    const updated = await updateOrderIfUnchanged(trx, order, {
      stage: move.stage,
      state: move.state,
      bohui_stage: move.bohui_stage,
      desk: move.desk,
      is_bohui: move.is_bohui,
      updated_at: now,
      ...(input.transition === 'stop' && input.badRecord ? { bad_record: 1 } : {}),
      ...stamps,
    });
    if (!updated) throw new DomainError('conflict', CONFLICT_MESSAGE);
    const decision = marketplaceDecision(input.transition, move.state);
    if (order.partner_ua && order.partner_order_id && decision) {
      // Written with the decision itself: no callback for a rolled-back decision, one for each kept.
      await enqueueCallback(trx, {
        ua: order.partner_ua,
        call: 'PartnerGate.Order.approveFeedback',
        args: {
          order_id: order.partner_order_id,
          approve_result: decision.result,
          approve_message: reason || decision.message,
        },
        dedupeKey: `approve:${order.son_order_id}:${order.version + 1}`,
        now,
      });
    }
    await adjustDeskCount(trx, { desk: order.desk, city: order.city, is_bohui: order.is_bohui }, -1);
    await adjustDeskCount(trx, { desk: move.desk, city: order.city, is_bohui: move.is_bohui }, +1);
    const label = `${STAGE_LABELS[input.stage]}${TRANSITION_LABELS[input.transition]}`;
    await insertSuggestion(trx, {
      order_id: order.id,
      suggest_type:
        input.stage === 'mianshen' && input.transition === 'return_kefu'
          ? SUGGEST_TYPE_MIANSHEN_RETURN
          : SUGGEST_TYPE_OF_STAGE[input.stage],
      content: reason ? `${label}：${reason}` : label,
      staff_id: actor.id,
      created_at: now,
    });
    await recordAudit(trx, {
      actor: actorRef(actor),
      entity: 'loan_order',
      entity_id: order.son_order_id,
      action: input.transition,
      from_state: describePosition(order),
      to_state: describePosition(move),
      reason: reason || null,
      created_at: now,
    });
    return {
      son_order_id: order.son_order_id,
      stage: move.stage,
      state: move.state,
      is_bohui: move.is_bohui,
    };
  });
}

/** What the marketplace is told when an order it brought reaches a decision here. */
function marketplaceDecision(
  transition: Transition,
  state: string,
): { result: string; message: string } | undefined {
  if (transition === 'pass' && state === 'approved') return { result: 'OK', message: '审核通过' };
  if (transition === 'stop') return { result: 'REFUSE', message: '审核未通过' };
  if (transition === 'return_kefu') return { result: 'REJECT', message: '资料需补充，退回修改' };
  return undefined;
}

/** Staff of any stage act on an order at their own stage; the stage is the order's. */
export async function moveOrderAtItsStage(
  deps: LoanOrderDeps,
  actor: Actor,
  input: { sonOrderId: string; transition: Transition; reason?: string | undefined; badRecord?: boolean },
  now: number,
): Promise<TransitionResult> {
  const order = await loadOrder(deps.db, input.sonOrderId);
  return moveOrder(deps, actor, { ...input, stage: order.stage }, now);
}

export interface CreatedOrder {
  son_order_id: string;
}

/** 客服 opens an order: who the customer is, which agent brought it, when they come in. */
export async function createOrder(
  deps: LoanOrderDeps,
  actor: Actor,
  input: RawInput,
  now: number,
): Promise<CreatedOrder> {
  requireStageRole(actor, 'kefu');
  const r = new FieldReader(input, FIELD_LABELS);
  const orderType = r.int('order_type', { required: true, oneOf: Object.keys(ORDER_TYPES).map(Number) });
  const cityText = r.text('city', { required: true, max: 10 });
  if (cityText !== undefined && !(CITIES as readonly string[]).includes(cityText))
    r.fail('city', '城市不在可选范围内');
  const appointmentText = r.text('appointment_time', { required: true, max: 19 });
  const appointment = appointmentText === undefined ? undefined : parseShanghaiDateTime(appointmentText);
  if (appointmentText !== undefined && appointment === null) {
    r.fail('appointment_time', '预约时间格式应为 YYYY-MM-DD HH:mm:ss');
  }
  const customerName = r.text('customer_name', { required: true, min: 2, max: 30 });
  const isAgency = orderType === 0;
  const agentName = r.text('user_realname', { required: isAgency, min: 2, max: 20 });
  const agentMobile = r.mobile('user_mobile', { required: isAgency });
  // An order the loan marketplace brought carries its ua and its order id, for the callbacks.
  const partnerUa = r.text('partner_ua', { max: 64 });
  const partnerOrderId = r.text('partner_order_id', { max: 64 });
  if ((partnerUa === undefined) !== (partnerOrderId === undefined)) {
    r.fail(
      partnerUa === undefined ? 'partner_ua' : 'partner_order_id',
      '平台订单须同时提供partner_ua和partner_order_id',
    );
  }
  r.done();
  const city = cityText as City;
  for (let attempt = 0; ; attempt++) {
    // Allocated outside the transaction so a number found taken stays used up on retry.
    const sonOrderId = await allocateSonOrderId(deps.db, now);
    try {
      return await deps.db.transaction().execute(async (trx) => {
        let agentId: number | null = null;
        if (isAgency && agentName && agentMobile) {
          const sealed = sealMobile(deps.pii, agentMobile);
          const agent = await findAgentByMobileHash(trx, sealed.mobile_hash);
          agentId = agent
            ? Number(agent.u_id)
            : await insertAgent(trx, { realname: agentName, ...sealed, created_at: now });
        }
        const position = withDesk({ stage: 'kefu', state: 'open', bohui_stage: null });
        await insertOrder(trx, {
          son_order_id: sonOrderId,
          order_type: orderType!,
          city,
          ...position,
          agent_id: agentId,
          customer_name: customerName!,
          appointment_time: appointment ?? null,
          face_trial_time: null,
          mianqian_opt_time: null,
          loan_money: null,
          loan_limit: null,
          production_no: null,
          yueding_lilv: null,
          service_fee: null,
          house_cert_no: null,
          house_city: null,
          house_address: null,
          house_type: null,
          guihuayongtu: null,
          house_size: null,
          built_in: null,
          mortgage_type: null,
          before_one_arrived: null,
          before_two_arrived: null,
          pg_money_shilian: null,
          pg_money_renda: null,
          partner_ua: partnerUa ?? null,
          partner_order_id: partnerOrderId ?? null,
          created_at: now,
          updated_at: now,
        });
        await adjustDeskCount(trx, { desk: position.desk, city, is_bohui: 0 }, +1);
        await recordAudit(trx, {
          actor: actorRef(actor),
          entity: 'loan_order',
          entity_id: sonOrderId,
          action: 'create',
          from_state: null,
          to_state: describePosition(position),
          reason: null,
          created_at: now,
        });
        return { son_order_id: sonOrderId };
      });
    } catch (error) {
      // A number already taken (by imported or seeded orders of that minute): take the next one.
      if (isUniqueViolation(error) && attempt < 20) continue;
      throw error;
    }
  }
}
