import type { Generated, Insertable, Selectable } from 'kysely';

/** Where a message is: handed to the provider, taken by it, refused, or reported by the phone's carrier. */
export const SMS_MESSAGE_STATUSES = ['sending', 'sent', 'failed', 'delivered', 'undelivered'] as const;
export type SmsMessageStatus = (typeof SMS_MESSAGE_STATUSES)[number];

/** One row per text message: its delivery record. The phone is kept masked and as a blind index, never whole. */
export interface SmsMessageTable {
  id: Generated<number>;
  purpose: string;
  phone_masked: string;
  phone_hash: string;
  provider: string;
  template_id: string;
  /** Aliyun's BizId or Tencent's SerialNo: what a delivery receipt names. */
  provider_id: string | null;
  request_id: string | null;
  status: SmsMessageStatus;
  /** The provider's or the carrier's code when the message failed. */
  error_code: string | null;
  error_message: string | null;
  created_at: number;
  updated_at: number;
}

export type SmsMessageRow = Selectable<SmsMessageTable>;
export type NewSmsMessageRow = Insertable<SmsMessageTable>;
