export { type BackOfficeModule, createBackOfficeModule, ESCROW_LIST_FIELDS } from './back-office.module.js';
