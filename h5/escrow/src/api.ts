/** The JSON API the page stands on (src/dialects/escrow/pages/): `{code: 0, data}` or `{code: -1, msg, errors?}`. */

export type EscrowState = 'inviting' | 'signed' | 'declined' | 'timed_out';
export type PartyRole = 'buyer' | 'landlord';

export interface ContractInfo {
  contract_online_flag: 'Y' | 'N';
  contract_type: 'DEPOSIT' | 'SALES';
  offline_contract_no: string | null;
  depository_amount_types: string[];
}

/** The terms as the module's acceptance.view answers them; amounts in fen. */
export interface Terms {
  house_address: string;
  house_province_city_desc?: string | null;
  house_deal_price: number | null;
  deposit_amount: number | null;
  first_pay_amount: number | null;
  loan_amount: number | null;
  final_pay_amount: number | null;
  service_fee_amount: number | null;
  house_contract_infos: ContractInfo[];
  service_type?: string;
  service_provider_name?: string;
  landlord_payee_name?: string | null;
  landlord_payee_bank_name?: string | null;
  landlord_payee_bankcard_no?: string | null;
}

export interface InvitationView {
  house_order_no: string;
  template_id: string;
  state: EscrowState;
  state_label: string;
  deadline_at: number;
  terms_hash: string;
  terms: Terms;
  party: {
    role: PartyRole;
    name: string;
    phone: string;
    accepted_at: number | null;
    declined_at: number | null;
  };
  parties: { role: PartyRole; name: string; accepted: boolean }[];
}

export interface Decision {
  state: EscrowState;
  all_accepted: boolean;
}

export interface FieldError {
  field: string;
  error: string;
}

/** A refusal the API answered: its message, and the fields it names. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

type Envelope<T> = { code: 0; data: T } | { code: number; msg?: string; errors?: FieldError[] };

async function call<T>(path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError('网络连接失败，请检查网络后重试');
  }
  let envelope: Envelope<T>;
  try {
    envelope = (await response.json()) as Envelope<T>;
  } catch {
    throw new ApiError(`服务暂时不可用（${response.status}），请稍后再试`);
  }
  if (envelope.code === 0 && 'data' in envelope) return envelope.data;
  const refusal = envelope as { msg?: string; errors?: FieldError[] };
  throw new ApiError(refusal.msg || '操作失败，请稍后再试', refusal.errors ?? []);
}

const base = (token: string) => `/escrow/api/invitations/${encodeURIComponent(token)}`;

export const api = {
  view: (token: string) => call<InvitationView>(base(token)),
  sendCode: (token: string) => call<{ phone: string }>(`${base(token)}/send-code`, {}),
  accept: (token: string, code: string, termsHash: string) =>
    call<Decision>(`${base(token)}/accept`, { code, terms_hash: termsHash }),
  decline: (token: string, code: string, termsHash: string, reason: string) =>
    call<Decision>(`${base(token)}/decline`, { code, terms_hash: termsHash, reason }),
};

/** The token is the last segment of /escrow/accept/<token>. */
export function tokenFromLocation(pathname: string): string {
  const match = /\/escrow\/accept\/([^/?#]+)\/?$/.exec(pathname);
  return match?.[1] ? decodeURIComponent(match[1]) : '';
}
