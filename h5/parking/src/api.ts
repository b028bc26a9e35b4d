/**
 * The family-5 API the page stands on (docs/parking.md): POST /parking/api/…, JSON (multipart
 * for the order), answered in the spec's envelope `{timestamp, msg, isSuccess: "0" | "1",
 * resultData}`; the order and pay calls in `{returnCode: "T" | "F", returnMsg, isSuccess:
 * "true" | "false", msg, …}`. Who calls is the WeChat openId behind the session cookie that
 * GET /parking/oauth/authorize sets; a 401 sends the page through it again.
 */

/** A card as cardList lists it; every value a string as the spec shows (orderAmount a number). */
export interface CardView {
  omPrCardId: string;
  productId?: string;
  productVId?: string;
  productName?: string;
  amount?: string;
  unitType?: string;
  rentType?: string;
  lastOrderId?: string | null;
  userInfoId?: string;
  startDt?: string | null;
  endDt?: string | null;
  renewEndDt?: string | null;
  state?: string | number;
  remark?: string;
  createDt?: string;
  cardType?: string;
  auditStateBeforePay?: string | null;
  isExpire?: string;
  orderState?: string | null;
  orderAmount?: number | string | null;
  ifHasConflictProcess?: boolean | string;
}

export interface PlateView {
  carNum: string;
  channel?: string;
}

export interface UserView {
  pmSetrentUserinfoId: string;
  name?: string;
  phone?: string;
  code?: string | null;
  department?: string | null;
  duplicateCode?: string | null;
  carNums?: string;
  firstOrgName?: string | null;
  firstOrgCode?: string | null;
  secondOrgName?: string | null;
  secondOrgCode?: string | null;
  ifHasConflictProcess?: boolean | string;
  cardList?: CardView[];
  pmSetRentCarInfoList?: PlateView[];
}

export interface OrgView {
  pmParkOrganizationId: string;
  name: string;
  orgCode: string | number;
  levelCode?: string;
  level?: string;
  isLeaf?: string;
  isUsed?: string;
}

export interface ExtraView {
  pmSetrentParkExtraId: string;
  name: string;
  code: string;
  /** 0 text, 1 picture. */
  type: string;
}

/** The order call 6 answers (the spec's omPrOrderRentOutVo). */
export interface OrderView {
  omPrOrderId: string;
  omPrCardId?: string;
  productName?: string;
  count?: string | number;
  startDt?: string | null;
  endDt?: string | null;
  amount?: string;
  state?: string;
  createDt?: string;
  isAuditBeforePay?: string;
  auditStateBeforePay?: string;
  orderType?: string | number;
}

/** What the page hands WeChat's getBrandWCPayRequest. */
export interface SecuParam {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: string;
  paySign: string;
}

export interface PayAnswer {
  secuParam: SecuParam;
  prPayId?: string;
  period?: number;
  payState?: string;
}

/** A refusal the API answered, with its message as the server wrote it. */
export class ApiError extends Error {}

// biome-ignore lint/suspicious/noExplicitAny: the envelope's fields differ per call and are read by name
type Envelope = Record<string, any>;

export const DEMO_PARK_ID = '1463714771961';
const STORE_KEY = 'fangtong.parking';
const AUTH_AT_KEY = 'fangtong.parking.authAt';

/** What the page remembers between visits on this phone: no personal data beyond ids. */
export interface Remembered {
  parkId: string;
  openId?: string;
  userInfoId?: string;
  cardIds: string[];
}

export function remembered(): Remembered {
  try {
    const value = JSON.parse(localStorage.getItem(STORE_KEY) ?? '{}') as Partial<Remembered>;
    return {
      parkId: value.parkId || DEMO_PARK_ID,
      openId: value.openId || undefined,
      userInfoId: value.userInfoId || undefined,
      cardIds: Array.isArray(value.cardIds) ? value.cardIds.filter((id) => typeof id === 'string') : [],
    };
  } catch {
    return { parkId: DEMO_PARK_ID, cardIds: [] };
  }
}

export function remember(change: Partial<Remembered>): Remembered {
  const next = { ...remembered(), ...change };
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify(next));
  } catch {
    // Private mode: the page still works for this visit.
  }
  return next;
}

/**
 * The park and the WeChat openId may arrive in the address (`?pmParkId=…&openId=…`, as the
 * official account's menu link or the OAuth redirect gives them): kept, then dropped from the
 * address bar.
 */
export function adoptAddressParams(): void {
  const url = new URL(window.location.href);
  const parkId = url.searchParams.get('pmParkId') ?? url.searchParams.get('parkId');
  const openId = url.searchParams.get('openId') ?? url.searchParams.get('open_id');
  if (!parkId && !openId) return;
  remember({ ...(parkId ? { parkId } : {}), ...(openId ? { openId } : {}) });
  for (const name of ['pmParkId', 'parkId', 'openId', 'open_id']) url.searchParams.delete(name);
  window.history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
}

/** Through WeChat's OAuth (the sandbox mints an openId) and back to where the page was. */
export function authorizeUrl(back: string): string {
  const { openId } = remembered();
  const query = new URLSearchParams({ redirect: back });
  if (openId) query.set('open_id', openId);
  return `/parking/oauth/authorize?${query.toString()}`;
}

function relogin(): never {
  const last = Number(sessionStorage.getItem(AUTH_AT_KEY) ?? 0);
  if (Date.now() - last < 15_000) {
    // Just came back from the login and still refused: do not loop.
    throw new ApiError('登录失败，请在微信中重新打开本页面');
  }
  sessionStorage.setItem(AUTH_AT_KEY, String(Date.now()));
  window.location.assign(authorizeUrl(`${window.location.pathname}${window.location.search}`));
  throw new ApiError('登录已过期，正在重新登录…');
}

async function post(path: string, body: Record<string, string> | FormData): Promise<Envelope> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers:
        body instanceof FormData
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: body instanceof FormData ? body : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError('网络连接失败，请检查网络后重试');
  }
  if (response.status === 401) relogin();
  let envelope: Envelope;
  try {
    envelope = (await response.json()) as Envelope;
  } catch {
    throw new ApiError(`服务暂时不可用（${response.status}），请稍后再试`);
  }
  const ok = (envelope.isSuccess === '0' || envelope.isSuccess === 'true') && envelope.returnCode !== 'F';
  if (!ok || response.status >= 400) {
    throw new ApiError(envelope.msg || envelope.returnMsg || `操作失败（${response.status}），请稍后再试`);
  }
  return envelope;
}

export interface BindInput {
  carNum: string;
  name: string;
  phone: string;
  duplicateCode: string;
  phoneCode: string;
  isOverDuplicate: '0' | '1';
}

export const api = {
  /** Call 8: a code to the phone (purpose parking_phone). */
  sendCode: async (phone: string) => {
    await post('/parking/api/sms/send-code', { phone });
  },
  /** Call 1: proves the phone, finds or creates the user, binds this openId. */
  findByCarNum: async (input: BindInput): Promise<UserView> => {
    const envelope = await post('/parking/api/user/find-by-car-num', {
      ...input,
      pmParkId: remembered().parkId,
    });
    return envelope.resultData as UserView;
  },
  /** Call 2: the user and cards by one card, with canRePay ("0" can renew) and the plates. */
  findByCardId: async (omPrCardId: string): Promise<{ user: UserView; canRePay: string }> => {
    const envelope = await post('/parking/api/user/find-by-card-id', { omPrCardId });
    return { user: envelope.resultData as UserView, canRePay: String(envelope.canRePay ?? '') };
  },
  /** Call 3: the user's own name and phone; a new phone with a code sent to it (call 8). */
  updateUser: async (input: {
    pmSetrentUserinfoId: string;
    name: string;
    phone?: string;
    phoneCode?: string;
  }) => {
    await post('/parking/api/user/update', {
      pmSetrentUserinfoId: input.pmSetrentUserinfoId,
      name: input.name,
      ...(input.phone ? { phone: input.phone } : {}),
      ...(input.phoneCode ? { phoneCode: input.phoneCode } : {}),
    });
  },
  /** Call 4: first-level orgs, or the children of the first-level org `orgCode`. */
  organizations: async (orgCode?: string): Promise<OrgView[]> => {
    const envelope = await post('/parking/api/park/organizations', {
      pmParkId: remembered().parkId,
      ...(orgCode ? { orgCode } : {}),
    });
    return (envelope.resultData ?? []) as OrgView[];
  },
  /** Call 5: the park's extra items, in the order the order's files follow. */
  extraInfos: async (): Promise<ExtraView[]> => {
    const envelope = await post('/parking/api/park/extra-infos', { pmParkId: remembered().parkId });
    return (envelope.resultData ?? []) as ExtraView[];
  },
  /** Call 6: the multipart order. */
  renew: async (form: FormData): Promise<OrderView> => {
    const envelope = await post('/parking/api/order/renew', form);
    return (envelope.resultData ?? envelope.omPrOrderRentOutVo) as OrderView;
  },
  /** Call 7: WeChat Pay (JSAPI) for the order; answers what the page hands WeChat. */
  wechatPay: async (omPrOrderId: string): Promise<PayAnswer> => {
    const envelope = await post('/parking/api/order/wechat-pay', {
      omPrOrderId,
      openId: remembered().openId ?? '',
    });
    return envelope.prOrderPayRes as PayAnswer;
  },
  /** Call 9: plates, comma-separated. */
  addCarNums: async (userInfoId: string, carNums: string) => {
    await post('/parking/api/car-nums/add', { addCarNums: carNums, userInfoId });
  },
  /** Call 10: only plates the user added online (channel 9) may go. */
  deleteCarNums: async (userInfoId: string, carNums: string) => {
    await post('/parking/api/car-nums/delete', { delCarNums: carNums, userInfoId });
  },
};

/** The empty file slot the spec names: an extra item without a file. */
export const EMPTY_SLOT_NAME = 'rentForBeiLiGongTempPic';

interface WeixinBridge {
  invoke(name: string, params: unknown, callback: (answer: { err_msg?: string }) => void): void;
}

function bridge(): WeixinBridge | undefined {
  return (window as unknown as { WeixinJSBridge?: WeixinBridge }).WeixinJSBridge;
}

/** WeChat's bridge, once it is there: at once, after its ready event inside WeChat, or never. */
async function waitForBridge(): Promise<WeixinBridge | undefined> {
  if (bridge()) return bridge();
  if (!/MicroMessenger/i.test(navigator.userAgent)) return undefined;
  return new Promise((resolve) => {
    const done = () => resolve(bridge());
    document.addEventListener('WeixinJSBridgeReady', done, { once: true });
    window.setTimeout(done, 3_000);
  });
}

/**
 * The payer pays. Inside WeChat: getBrandWCPayRequest with the server's signed parameters.
 * Outside it (development with the WeChat Pay sandbox): the sandbox's pay route plays the payer,
 * and the sandbox notifies the server as WeChat would.
 */
export async function payAtWechat(pay: PayAnswer): Promise<void> {
  const weixin = await waitForBridge();
  if (weixin) {
    const answer = await new Promise<{ err_msg?: string }>((resolve) =>
      weixin.invoke('getBrandWCPayRequest', pay.secuParam, resolve),
    );
    if (answer.err_msg === 'get_brand_wcpay_request:ok') return;
    if (answer.err_msg === 'get_brand_wcpay_request:cancel') throw new ApiError('已取消支付');
    throw new ApiError('支付未完成，请稍后重试');
  }
  const outTradeNo = pay.prPayId ?? '';
  let response: Response | undefined;
  try {
    response = await fetch('/dev/wechat-sandbox/pay', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ out_trade_no: outTradeNo }),
    });
  } catch {
    response = undefined;
  }
  if (!response?.ok) throw new ApiError('请在微信中打开本页面完成支付');
}
