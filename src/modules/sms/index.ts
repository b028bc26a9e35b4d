export { createSmsModule, type SmsModule } from './sms.module.js';
export { SMS_CODE_TTL_MS, sendSmsCode, verifySmsCode } from './sms-codes.service.js';
