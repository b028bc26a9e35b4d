import { maskMobile } from '../../core/mobile.js';

/** Sends a text message; real providers (Aliyun, Tencent Cloud …) implement this behind config. */
export interface SmsSender {
  send(phone: string, text: string): Promise<void>;
}

/** Development sender: the message goes to the log, where a developer can read the code; the phone is masked like any personal data in logs. */
export function logSmsSender(log: (message: string) => void): SmsSender {
  return {
    async send(phone, text) {
      log(`[dev sms] to ${maskMobile(phone)}: ${text}`);
    },
  };
}

/** Keeps messages in memory, for tests to read the code a real phone would get. */
export function memorySmsSender(): SmsSender & { sent: Array<{ phone: string; text: string }> } {
  const sent: Array<{ phone: string; text: string }> = [];
  return {
    sent,
    async send(phone, text) {
      sent.push({ phone, text });
    },
  };
}
