import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { JobDefinition } from '../../platform/jobs/job-runner.js';
import type { Pii } from '../../platform/pii.js';
import { SessionCache } from '../../platform/session-cache.js';
import type { SmsChannel } from '../../platform/sms/sms-channel.js';
import { deleteExpiredSessions } from './parking.repository.js';
import {
  addExtras,
  addOrgs,
  addProductVersion,
  createPark,
  createProduct,
  listParks,
  type NewExtra,
  type NewOrg,
  type NewPark,
  type NewProduct,
  parkConfiguration,
  parkExtras,
  parkOrganizations,
  parkProductExportPages,
} from './parking-parks.service.js';
import {
  addParkingPlates,
  deleteParkingPlates,
  type FindByCarNumInput,
  findUserByCardId,
  findUserByCarNum,
  identifyParkingCaller,
  openParkingSession,
  type ParkingCaller,
  proveParkingCaller,
  sendParkingCode,
  type UpdateParkingUserInput,
  updateParkingUser,
} from './parking-users.service.js';

export interface ParkingModuleDeps {
  db: Kysely<Database>;
  pii: Pii;
  sms: SmsChannel;
  /** Plates a user may hold at most (PARKING_MAX_PLATES). */
  maxPlates: number;
  /** Lifetime of a WeChat caller's session (PARKING_SESSION_TTL). */
  sessionTtlMs: number;
  /** How long a confirmed session is remembered (FANGTONG_SESSION_CACHE_SECONDS). */
  sessionCacheMs: number;
}

/**
 * Family 5's domain: campus monthly parking. The user side (sessions by WeChat openId, users
 * found by plate and proved phone, plates, cards, the park's org tree and extra infos, the back
 * office's parks and products); orders, payment, review and refunds are added beside it.
 */
export function createParkingModule(moduleDeps: ParkingModuleDeps) {
  const { db } = moduleDeps;
  const sessionCache = new SessionCache<string>(moduleDeps.sessionCacheMs);
  const deps = { ...moduleDeps, sessions: sessionCache };
  const jobs: JobDefinition[] = [
    {
      name: 'parking.forget-expired-sessions',
      intervalMs: 3_600_000,
      run: (now) => deleteExpiredSessions(db, now).then(() => {}),
    },
  ];
  return {
    sessions: {
      open: (openId: string, now: number) => openParkingSession(deps, openId, now),
      /** Who a session token names, from the session cache alone (null: no session could be it). */
      identify: (token: string, now: number) => identifyParkingCaller(sessionCache, token, now),
      /** The caller's openId once their session is proved, or null when it is not live. */
      prove: (caller: ParkingCaller, now: number) => proveParkingCaller(deps, caller, now),
    },
    users: {
      sendCode: (input: { phone: string; ip: string }, now: number) => sendParkingCode(deps, input, now),
      findByCarNum: (caller: ParkingCaller, input: FindByCarNumInput, now: number) =>
        findUserByCarNum(deps, caller, input, now),
      findByCardId: (caller: ParkingCaller, cardId: string, now: number) =>
        findUserByCardId(deps, caller, cardId, now),
      update: (openId: string, input: UpdateParkingUserInput, now: number) =>
        updateParkingUser(deps, openId, input, now),
      addPlates: (openId: string, input: { userId: string; carNums: readonly string[] }, now: number) =>
        addParkingPlates(deps, openId, input, now),
      deletePlates: (openId: string, input: { userId: string; carNums: readonly string[] }, now: number) =>
        deleteParkingPlates(deps, openId, input, now),
    },
    parks: {
      organizations: (parkId: string, orgCode?: string) => parkOrganizations(db, parkId, orgCode),
      extras: (parkId: string) => parkExtras(db, parkId),
      list: () => listParks(db),
      /** Keyset pages of the parks with their products and current prices (the export). */
      exportPages: () => parkProductExportPages(db),
      configuration: (parkId: string) => parkConfiguration(db, parkId),
      create: (input: NewPark, now: number, actor: string) => createPark(db, input, now, actor),
      addOrgs: (parkId: string, orgs: readonly NewOrg[], now: number, actor: string) =>
        addOrgs(db, parkId, orgs, now, actor),
      addExtras: (parkId: string, extras: readonly NewExtra[], now: number, actor: string) =>
        addExtras(db, parkId, extras, now, actor),
    },
    products: {
      create: (input: NewProduct, now: number, actor: string) => createProduct(db, input, now, actor),
      addVersion: (
        productId: string,
        prices: { insidePriceFen: number; outsidePriceFen: number },
        now: number,
        actor: string,
      ) => addProductVersion(db, productId, prices, now, actor),
    },
    jobs,
  };
}

export type ParkingModule = ReturnType<typeof createParkingModule>;
