export { RETRY_DELAYS_S } from '../../platform/outbox/delivery-queue.js';
export { partnerCallbacks } from './outbox.repository.js';
export { callbackExportPages, enqueueCallback, listCallbacks, retryCallback } from './outbox.service.js';
