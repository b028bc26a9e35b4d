import { randomBytes } from 'node:crypto';
import type { TopError, TopFormat } from './top-request.js';

export type TopScalar = string | number | boolean;

/** A response field; null and undefined fields are left out, as TOP leaves out absent fields. */
export type TopValue = TopScalar | null | undefined | TopObject | TopList | readonly TopScalar[];

export interface TopObject {
  readonly [field: string]: TopValue;
}

/**
 * A list field whose items carry TOP's item name: the SDKs read `@ApiListField("buyer_infos")`
 * with `@ApiField("user_info_d_t_o")`, the item name being the item class's name in snake case
 * (UserInfoDTO → user_info_d_t_o). Build one with {@link topList}. A plain array of strings,
 * numbers or booleans needs no wrapper: its items are named `string`, `number`, `boolean`, as TOP
 * names the items of `String[]`, `Number[]` and `Boolean[]` fields.
 */
export class TopList {
  constructor(
    readonly item: string,
    readonly items: readonly (TopScalar | TopObject)[],
  ) {}
}

export function topList(item: string, items: readonly (TopScalar | TopObject)[]): TopList {
  return new TopList(item, items);
}

export type TopBody = { contentType: string; body: string };

export const TOP_JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';
export const TOP_XML_CONTENT_TYPE = 'text/xml;charset=UTF-8';
const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8" ?>';

/**
 * The key a method's success answer is wrapped in: dots to underscores plus `_response`, a leading
 * `taobao.` dropped and any other prefix kept (`taobao.user.seller.get` → `user_seller_get_response`,
 * `tmall.alihouse.trade.order.second.house.operate` →
 * `tmall_alihouse_trade_order_second_house_operate_response`).
 */
export function responseKey(method: string): string {
  const name = method.startsWith('taobao.') ? method.slice('taobao.'.length) : method;
  return `${name.replaceAll('.', '_')}_response`;
}

/** A request id in TOP's shape (13 lowercase base-36 characters, like `14ibtxvb4vqjh`), from a secure source. */
export function newTopRequestId(): string {
  return BigInt(`0x${randomBytes(9).toString('hex')}`)
    .toString(36)
    .padStart(13, '0')
    .slice(-13);
}

/**
 * A method's success answer. JSON: `{"<key>":{…fields,"request_id":…}}`, lists as
 * `{"list":{"item":[…]}}`; with `simplify` (JSON only, as TOP) the wrapper goes and lists are plain
 * arrays: `{…fields,"request_id":…}`. XML: the declaration, then a root element named the key,
 * objects as nested elements, lists as `<list><item>…</item><item>…</item></list>`.
 */
export function renderTopSuccess(
  method: string,
  fields: TopObject,
  options: { format: TopFormat; simplify?: boolean; requestId: string },
): TopBody {
  const key = responseKey(method);
  if (options.format === 'xml') {
    return xmlBody(key, { ...fields, request_id: options.requestId });
  }
  const simplify = options.simplify === true;
  const inner = { ...jsonObject(fields, simplify), request_id: options.requestId };
  return { contentType: TOP_JSON_CONTENT_TYPE, body: JSON.stringify(simplify ? inner : { [key]: inner }) };
}

/**
 * An error answer, `error_response` with code, msg, sub_code, sub_msg (each when present) and
 * request_id. `simplify` does not change it: TOP's simplified JSON keeps the `error_response`
 * wrapper, which is how its SDKs tell an error from a result.
 */
export function renderTopError(error: TopError, options: { format: TopFormat; requestId: string }): TopBody {
  const fields: Record<string, TopScalar> = { code: error.code, msg: error.msg };
  if (error.sub_code !== undefined) fields.sub_code = error.sub_code;
  if (error.sub_msg !== undefined) fields.sub_msg = error.sub_msg;
  fields.request_id = options.requestId;
  if (options.format === 'xml') return xmlBody('error_response', fields);
  return { contentType: TOP_JSON_CONTENT_TYPE, body: JSON.stringify({ error_response: fields }) };
}

type Json = string | number | boolean | Json[] | { [key: string]: Json };

function jsonObject(fields: TopObject, simplify: boolean): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === null || value === undefined) continue;
    out[name] = jsonValue(value, simplify);
  }
  return out;
}

function jsonValue(value: Exclude<TopValue, null | undefined>, simplify: boolean): Json {
  if (value instanceof TopList) {
    const items = value.items.map((item) => jsonValue(item, simplify));
    return simplify ? items : { [value.item]: items };
  }
  if (isScalarArray(value)) {
    const items = [...value];
    return simplify || items.length === 0 ? items : { [scalarItemName(items[0]!)]: items };
  }
  if (typeof value === 'object') return jsonObject(value, simplify);
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new TypeError(`not a JSON number: ${value}`);
  return value;
}

function xmlBody(root: string, fields: TopObject): TopBody {
  return { contentType: TOP_XML_CONTENT_TYPE, body: XML_DECLARATION + xmlElement(root, fields) };
}

function xmlElement(name: string, value: Exclude<TopValue, null | undefined>): string {
  assertXmlName(name);
  if (value instanceof TopList) {
    return `<${name}>${value.items.map((item) => xmlElement(value.item, item)).join('')}</${name}>`;
  }
  if (isScalarArray(value)) {
    return `<${name}>${value.map((item) => xmlElement(scalarItemName(item), item)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    let inner = '';
    for (const [field, fieldValue] of Object.entries(value)) {
      if (fieldValue !== null && fieldValue !== undefined) inner += xmlElement(field, fieldValue);
    }
    return `<${name}>${inner}</${name}>`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`not a number: ${value}`);
  return `<${name}>${escapeXmlText(String(value))}</${name}>`;
}

function isScalarArray(value: Exclude<TopValue, null | undefined>): value is readonly TopScalar[] {
  return Array.isArray(value);
}

function scalarItemName(value: TopScalar | TopObject): string {
  return typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string';
}

// Element names come from our own field tables, never from a caller: a bad one is a bug, so fail loudly.
const XML_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
function assertXmlName(name: string): void {
  if (!XML_NAME.test(name) || /^xml/i.test(name)) throw new TypeError(`not an XML element name: ${name}`);
}

/**
 * Text content escaped for XML 1.0: `&`, `<`, `>` as entities (`>` too, so `]]>` cannot appear),
 * and characters XML 1.0 cannot carry at all (controls other than tab, LF, CR; lone surrogates;
 * U+FFFE, U+FFFF) replaced with U+FFFD, since no escape makes them legal.
 */
export function escapeXmlText(text: string): string {
  return text
    .replace(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters XML 1.0 forbids
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      '\uFFFD',
    )
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}
