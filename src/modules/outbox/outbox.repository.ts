import type { Database } from '../../database.js';
import { deliveryQueue } from '../../platform/outbox/delivery-queue.js';

/** Family 4's calls to its platform, queued and delivered by the shared outbox mechanism. */
export const partnerCallbacks = deliveryQueue<Database, 'partner_callbacks'>('partner_callbacks');
