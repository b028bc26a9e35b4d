/**
 * The one way the pages talk to the server. Family 1's envelope is `{"code":1,"msg","data"}` on
 * success and `{"code":0,"errors":[{"field","error"}],"msg"}` on failure; most failures come with
 * HTTP 200, the session's with 401/403 and the login throttle with 429. The session is the
 * HttpOnly cookie the login sets, so the pages never hold a token.
 */

export interface FieldError {
  field: string;
  error: string;
}

/** A refusal: the envelope's `msg` and `errors`, and the HTTP status it came with. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | undefined | null>;

type SessionEvent = 'unauthorized' | 'forbidden';
const listeners: Record<SessionEvent, Set<(error: ApiError) => void>> = {
  unauthorized: new Set(),
  forbidden: new Set(),
};

/**
 * The shell listens here: a 401 sends the user to the login page (remembering where they were),
 * a 403 on a read (GET) shows 无权访问 in place of the page. The call still rejects, so no page
 * goes on as if it had data. A 403 on an action (POST, PUT, PATCH) is not told: the server
 * refusing one action (the maker approving their own release) leaves the page standing, and the
 * page says why.
 * Answers the function that stops listening.
 */
export function onSession(event: SessionEvent, listener: (error: ApiError) => void): () => void {
  listeners[event].add(listener);
  return () => listeners[event].delete(listener);
}

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

interface Envelope {
  code?: unknown;
  msg?: unknown;
  data?: unknown;
  errors?: unknown;
}

async function send(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  body?: object,
): Promise<Envelope> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers = { ...init.headers, 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new ApiError('网络异常，请检查网络后重试', 0);
  }
  const parsed = (await response.json().catch(() => undefined)) as Envelope | undefined;
  const envelope: Envelope = parsed && typeof parsed === 'object' ? parsed : {};
  const failed = !response.ok || envelope.code === 0;
  if (!failed) return envelope;
  const error = new ApiError(
    typeof envelope.msg === 'string' && envelope.msg ? envelope.msg : `请求失败（HTTP ${response.status}）`,
    response.status,
    Array.isArray(envelope.errors) ? (envelope.errors as FieldError[]) : [],
  );
  if (response.status === 401) for (const listener of listeners.unauthorized) listener(error);
  if (response.status === 403 && method === 'GET')
    for (const listener of listeners.forbidden) listener(error);
  throw error;
}

/** GET answering the envelope's `data`. */
export async function apiGet<T>(path: string, query?: Query): Promise<T> {
  return (await send('GET', withQuery(path, query))).data as T;
}

/** POST (a JSON body) answering the envelope's `data`; a 403 is the caller's to show. */
export async function apiPost<T>(path: string, body: object = {}): Promise<T> {
  return (await send('POST', path, body)).data as T;
}

/** PUT (a JSON body, the whole record) answering the envelope's `data`; a 403 is the caller's. */
export async function apiPut<T>(path: string, body: object): Promise<T> {
  return (await send('PUT', path, body)).data as T;
}

/** PATCH (a JSON body, only the fields to change) answering the envelope's `data`; a 403 is the caller's. */
export async function apiPatch<T>(path: string, body: object): Promise<T> {
  return (await send('PATCH', path, body)).data as T;
}

/** DELETE answering the envelope's `data`; a 403 is the caller's to show, as for any action. */
export async function apiDelete<T>(path: string): Promise<T> {
  return (await send('DELETE', path)).data as T;
}

/**
 * GET of a route that answers its success bare, without the envelope (the 面签 desk list, as the
 * spec shows it); its failures still use the envelope.
 */
export async function apiGetBare<T>(path: string, query?: Query): Promise<T> {
  return (await send('GET', withQuery(path, query))) as T;
}
