export {
  claimCallback,
  listCallbacks,
  listDueCallbacks,
  markCallbackDelivered,
} from './outbox.repository.js';
export { enqueueCallback, markCallbackFailed, RETRY_DELAYS_S } from './outbox.service.js';
