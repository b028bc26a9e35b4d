export {
  claimCallback,
  enqueueCallback,
  listCallbacks,
  listDueCallbacks,
  markCallbackDelivered,
  markCallbackFailed,
  RETRY_DELAYS_S,
} from './outbox.service.js';
