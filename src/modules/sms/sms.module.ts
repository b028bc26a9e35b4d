import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { Pii } from '../../platform/pii.js';
import type { SmsSender } from '../../platform/sms/sms-sender.js';
import { sendSmsCode } from './sms-codes.service.js';

export interface SmsModuleDeps {
  db: Kysely<Database>;
  pii: Pii;
  sms: SmsSender;
}

/** SMS verification codes, with the database and the sender bound. */
export function createSmsModule(deps: SmsModuleDeps) {
  return {
    sendCode: (input: Parameters<typeof sendSmsCode>[1], now: number) => sendSmsCode(deps, input, now),
  };
}

export type SmsModule = ReturnType<typeof createSmsModule>;
