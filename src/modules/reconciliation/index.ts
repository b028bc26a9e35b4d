export {
  type ReconciliationProblem,
  reconcileWithWechat,
  type WechatReconciliation,
} from './reconciliation.service.js';
