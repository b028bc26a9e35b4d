import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import type { Database } from './database.js';
import { WECHAT_NOTIFY_PATH } from './dialects/payments/payments.wechat.notify.route.js';
import { WECHAT_V3_NOTIFY_PATH } from './dialects/payments/payments.wechat.v3.notify.route.js';
import { createBackOfficeModule } from './modules/back-office/index.js';
import { createEscrowModule, ESCROW_PAYMENT_HOOKS } from './modules/escrow/index.js';
import { createLeasesModule, LEASE_PAYMENT_HOOKS } from './modules/leases/index.js';
import { createLoanOrdersModule } from './modules/loan-orders/index.js';
import {
  createParkingModule,
  createParkingOrdersModule,
  PARKING_PAYMENT_HOOKS,
} from './modules/parking/index.js';
import { type CallbackTransport, createPartnerModule } from './modules/partner/index.js';
import { createPaymentsModule, type PaymentDeps } from './modules/payments/index.js';
import { createSmsModule } from './modules/sms/index.js';
import { createStaffModule } from './modules/staff/index.js';
import { createTenantsModule } from './modules/tenants/index.js';
import type { Clock } from './platform/clock.js';
import type { JobDefinition } from './platform/jobs/job-runner.js';
import { forgetIdleKeys } from './platform/limits/key-lock.js';
import type { PayoutProvider } from './platform/payouts/index.js';
import type { Pii } from './platform/pii.js';
import type { SmsChannel } from './platform/sms/sms-channel.js';
import { createDiskStorage } from './platform/storage/index.js';
import type { WechatSetup } from './platform/wechat-pay/wechat-setup.js';

/** What the modules are built on: the platform's services, made once by the app. */
export interface Platform {
  db: Kysely<Database>;
  clock: Clock;
  pii: Pii;
  sms: SmsChannel;
  wechat: WechatSetup;
  callbackTransport: CallbackTransport;
  /** Where escrow money leaves to bank cards (PAYOUT_PROVIDER: the sandbox, or WeChat's 企业付款). */
  payouts: PayoutProvider;
  /** Warnings from work no request waits for (the app's log at warn level). */
  log: (message: string) => void;
}

/**
 * The application's wiring: every module built once with its dependencies bound, and the jobs
 * each one owns. Dialects receive these modules, never the database.
 */
export function composeModules(config: Config, platform: Platform) {
  const { db, pii, sms } = platform;
  const paymentDeps: PaymentDeps = {
    db,
    clock: platform.clock,
    wechat: platform.wechat.gateway,
    notifyUrl: new URL(WECHAT_NOTIFY_PATH, config.publicBaseUrl).toString(),
    wechatV3: platform.wechat.v3,
    v3NotifyUrl: new URL(WECHAT_V3_NOTIFY_PATH, config.publicBaseUrl).toString(),
    // Each purpose that takes payments says what a settled (or late) payment does to it.
    hooks: { ...LEASE_PAYMENT_HOOKS, ...ESCROW_PAYMENT_HOOKS, ...PARKING_PAYMENT_HOOKS },
  };
  const modules = {
    staff: createStaffModule({
      db,
      sessionTtlMs: config.sessionTtlMs,
      sessionCacheMs: config.sessionCacheMs,
    }),
    loanOrders: createLoanOrdersModule({ db, pii }),
    tenants: createTenantsModule({ db, pii, sessionTtlMs: config.tenantSessionTtlMs }),
    sms: createSmsModule({ db, pii, sms }),
    // Family 5's user side: WeChat callers' sessions, users by plate and proved phone, plates, cards, parks.
    parking: createParkingModule({
      db,
      pii,
      sms,
      maxPlates: config.parking.maxPlates,
      sessionTtlMs: config.parking.sessionTtlMs,
      sessionCacheMs: config.sessionCacheMs,
    }),
    leases: createLeasesModule({ db, pii, payments: paymentDeps }),
    payments: createPaymentsModule(paymentDeps),
    partner: createPartnerModule({
      db,
      pii,
      sms,
      callbackTransport: platform.callbackTransport,
      replayMs: config.partnerReplayMs,
    }),
    escrow: createEscrowModule({
      db,
      pii,
      sms,
      publicBaseUrl: config.publicBaseUrl,
      replayMs: config.partnerReplayMs,
      // Escrow money comes in through payments and leaves through the payout provider.
      payments: paymentDeps,
      payouts: platform.payouts,
    }),
    // Family 5's orders: uploads kept on disk under FANGTONG_DATA_DIR/uploads, paid through payments.
    parkingOrders: createParkingOrdersModule({
      db,
      pii,
      sms,
      storage: createDiskStorage(config.uploads.dir, pii.fileKey),
      uploads: { maxBytes: config.uploads.maxBytes, maxFiles: config.uploads.maxFiles },
      payments: paymentDeps,
      log: platform.log,
    }),
    // The back office's lists and exports over families 3 and 5 that their modules do not page.
    backOffice: createBackOfficeModule({ db }),
  };
  const jobs: JobDefinition[] = [
    ...modules.payments.jobs,
    ...modules.staff.jobs,
    ...modules.partner.jobs,
    {
      name: 'limits.forget-idle-keys',
      intervalMs: 3_600_000,
      run: (now) => forgetIdleKeys(db, now).then(() => {}),
    },
    ...modules.leases.jobs,
    ...modules.escrow.jobs,
    ...modules.parking.jobs,
    ...modules.parkingOrders.jobs,
  ];
  return { modules, jobs, paymentDeps };
}

export type AppModules = ReturnType<typeof composeModules>['modules'];
