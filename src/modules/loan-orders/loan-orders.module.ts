import type { RawInput } from '../../core/field-reader.js';
import { listAuditFor } from '../audit/index.js';
import type { Actor, LoanOrderDeps } from './loan-order-deps.js';
import { deskExport, deskSummary, listDesk, listStageQueue } from './loan-order-desk.service.js';
import {
  saveBorrowInfo,
  saveCustomerInfo,
  saveHouseInfo,
  saveSuggestion,
} from './loan-order-edit.service.js';
import { findCustomerByIdCard, getOrderDetail, getOrderForStaff } from './loan-order-read.service.js';
import type { Stage } from './loan-order-state.js';
import { loanOrderStats } from './loan-order-stats.service.js';
import { createOrder, moveOrder, moveOrderAtItsStage } from './loan-order-workflow.service.js';

/** A 面签 form save: the order, the form as posted, the time. */
export type FormSave = (actor: Actor, sonOrderId: string, input: RawInput, now: number) => Promise<void>;

/** Loan orders through their stages, with the database and the PII keys bound. */
export function createLoanOrdersModule(deps: LoanOrderDeps) {
  const bindSave =
    (save: typeof saveBorrowInfo): FormSave =>
    (actor, sonOrderId, input, now) =>
      save(deps, actor, sonOrderId, input, now);
  return {
    create: (actor: Actor, input: RawInput, now: number) => createOrder(deps, actor, input, now),
    detail: (actor: Actor, sonOrderId: string, now: number) => getOrderDetail(deps, actor, sonOrderId, now),
    staffDetail: (actor: Actor, sonOrderId: string, now: number) =>
      getOrderForStaff(deps, actor, sonOrderId, now),
    customerByIdCard: (actor: Actor, input: RawInput, now: number) =>
      findCustomerByIdCard(deps, actor, input, now),
    saveBorrowInfo: bindSave(saveBorrowInfo),
    saveHouseInfo: bindSave(saveHouseInfo),
    saveCustomerInfo: bindSave(saveCustomerInfo),
    saveSuggestion: bindSave(saveSuggestion),
    move: (actor: Actor, input: Parameters<typeof moveOrder>[2], now: number) =>
      moveOrder(deps, actor, input, now),
    moveAtItsStage: (actor: Actor, input: Parameters<typeof moveOrderAtItsStage>[2], now: number) =>
      moveOrderAtItsStage(deps, actor, input, now),
    desk: (actor: Actor, desk: Stage, input: RawInput) => listDesk(deps, actor, desk, input),
    deskExport: (actor: Actor, desk: Stage, input: RawInput) => deskExport(deps, actor, desk, input),
    deskSummary: (actor: Actor, desk: Stage) => deskSummary(deps, actor, desk),
    stageQueue: (actor: Actor, stage: Stage, input: RawInput) => listStageQueue(deps, actor, stage, input),
    stats: (actor: Actor, input: RawInput, now: number) => loanOrderStats(deps, actor, input, now),
    auditTrail: (sonOrderId: string) => listAuditFor(deps.db, 'loan_order', sonOrderId),
  };
}

export type LoanOrdersModule = ReturnType<typeof createLoanOrdersModule>;
