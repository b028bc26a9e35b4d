export { createSmsModule, type SmsModule } from './sms.module.js';
export { SMS_CODE_TTL_MS, sendSmsCode, verifySmsCode } from './sms-codes.service.js';
export { SMS_MESSAGE_STATUSES, type SmsMessageStatus } from './sms-message.table.js';
export { SMS_TEMPLATES } from './sms-templates.js';
