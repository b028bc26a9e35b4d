import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { Pii } from '../../platform/pii.js';
import type { SmsChannel } from '../../platform/sms/sms-channel.js';
import { sendSmsCode } from './sms-codes.service.js';
import { listSmsMessages, recordSmsReceipt } from './sms-message.repository.js';
import type { SmsMessageStatus } from './sms-message.table.js';

export interface SmsModuleDeps {
  db: Kysely<Database>;
  pii: Pii;
  sms: SmsChannel;
}

/** SMS verification codes and the delivery record of every message, with the database and the channel bound. */
export function createSmsModule(deps: SmsModuleDeps) {
  return {
    sendCode: (input: Parameters<typeof sendSmsCode>[1], now: number) => sendSmsCode(deps, input, now),
    /** The newest messages (masked), for the back office; `statuses` narrows to e.g. the failures. */
    messages: (statuses: readonly SmsMessageStatus[] | undefined, limit = 100, beforeId?: number) =>
      listSmsMessages(deps.db, statuses, limit, beforeId),
    /** The same list a keyset page at a time (the export). */
    messageExportPages:
      (statuses: readonly SmsMessageStatus[] | undefined) =>
      (after: { id: number } | undefined, limit: number) =>
        listSmsMessages(deps.db, statuses, limit, after?.id),
    /** A delivery receipt a provider pushed; false when it names no message we sent through it. */
    recordReceipt: (receipt: Parameters<typeof recordSmsReceipt>[1], now: number) =>
      recordSmsReceipt(deps.db, receipt, now),
  };
}

export type SmsModule = ReturnType<typeof createSmsModule>;
