import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type TopSignMethod, topSign } from '../../../src/core/top-sign.js';
import {
  invalidArgument,
  missingArgument,
  readTopRequest,
  TOP_ERRORS,
  type TopError,
  type TopRequestDeps,
} from '../../../src/platform/top/top-request.js';

const METHOD = 'tmall.alihouse.trade.order.second.house.operate';
const APP_KEY = '12345678';
const SECRET = 'sandbox-secret-中';
// 2026-03-01 12:00:00 in Beijing.
const NOW = Date.parse('2026-03-01T04:00:00Z');
const MINUTE = 60_000;

const deps = (extra: Partial<TopRequestDeps> = {}): TopRequestDeps => ({
  secretOf: async (appKey) => (appKey === APP_KEY ? SECRET : undefined),
  now: NOW,
  ...extra,
});

function signed(
  overrides: Record<string, string | undefined> = {},
  signMethod: TopSignMethod = 'md5',
): Record<string, string | undefined> {
  const params: Record<string, string | undefined> = {
    method: METHOD,
    app_key: APP_KEY,
    timestamp: '2026-03-01 12:00:00',
    v: '2.0',
    sign_method: signMethod,
    format: 'json',
    operate_request: '{"operate_type":"CREATE","landlord_payee_bank_name":"中国银行"}',
    ...overrides,
  };
  const present = Object.fromEntries(
    Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return { ...params, sign: topSign(present, SECRET, signMethod) };
}

async function refusal(raw: Record<string, string | undefined>, extra: Partial<TopRequestDeps> = {}) {
  const result = await readTopRequest(raw, deps(extra));
  assert.equal(result.ok, false, 'expected a refusal');
  if (result.ok) throw new Error('unreachable');
  return result;
}

async function refusedWith(
  raw: Record<string, string | undefined>,
  expected: TopError,
  extra: Partial<TopRequestDeps> = {},
) {
  const result = await refusal(raw, extra);
  assert.deepEqual(result.error, expected);
  return result;
}

describe('readTopRequest', () => {
  it('accepts a well-signed request under each sign method and hands back what it read', async () => {
    for (const m of ['md5', 'hmac', 'hmac-sha256'] as const) {
      const result = await readTopRequest(signed({}, m), deps());
      assert.equal(result.ok, true, m);
      if (!result.ok) continue;
      assert.equal(result.signMethod, m);
      assert.equal(result.appKey, APP_KEY);
      assert.equal(result.method, METHOD);
      assert.equal(result.format, 'json');
      assert.equal(result.simplify, false);
      assert.equal(result.timestamp, NOW);
      assert.equal(result.session, undefined);
      assert.equal(result.params.operate_request, signed().operate_request);
    }
  });

  it('takes md5 when sign_method is absent, and xml when format is absent', async () => {
    const raw = signed({ sign_method: undefined, format: undefined });
    const result = await readTopRequest(raw, deps());
    assert.ok(result.ok);
    assert.equal(result.signMethod, 'md5');
    assert.equal(result.format, 'xml');
  });

  it('reads simplify=true, and only "true", as simplify', async () => {
    const yes = await readTopRequest(signed({ simplify: 'true' }), deps());
    assert.ok(yes.ok && yes.simplify);
    const no = await readTopRequest(signed({ simplify: 'false' }), deps());
    assert.ok(no.ok && !no.simplify);
  });

  it('treats empty parameters as absent, both in checks and in the signature', async () => {
    const result = await readTopRequest(signed({ session: '', partner_id: '' }), deps());
    assert.ok(result.ok);
    assert.equal(result.session, undefined);
    assert.equal('partner_id' in result.params, false);
  });

  describe('refusals, each with its code, msg and sub_code', () => {
    it('21 when method is missing or empty', async () => {
      const expected = {
        code: 21,
        msg: 'Missing method',
        sub_code: 'isv.missing-parameter:method',
        sub_msg: '缺少方法名参数',
      };
      await refusedWith(signed({ method: undefined }), expected);
      await refusedWith(signed({ method: '' }), expected);
    });

    it('22 for a method outside knownMethods, none without the set', async () => {
      const known = new Set([METHOD]);
      await refusedWith(signed({ method: 'taobao.user.seller.get' }), TOP_ERRORS.invalidMethod, {
        knownMethods: known,
      });
      assert.equal(TOP_ERRORS.invalidMethod.code, 22);
      assert.equal(TOP_ERRORS.invalidMethod.msg, 'Invalid method');
      assert.equal((await readTopRequest(signed({ method: 'x.y' }), deps())).ok, true);
    });

    it('23 for a format other than xml or json, rendered as XML', async () => {
      const r = await refusedWith(signed({ format: 'yaml' }), TOP_ERRORS.invalidFormat);
      assert.equal(r.error.code, 23);
      assert.equal(r.error.sub_code, 'isv.invalid-parameter:format');
      assert.equal(r.format, 'xml');
      assert.equal((await refusal(signed({ format: 'JSON' }))).error.code, 23);
    });

    it('32 / 33 / 34 for a missing, malformed or unsupported v', async () => {
      assert.equal((await refusedWith(signed({ v: undefined }), TOP_ERRORS.missingVersion)).error.code, 32);
      assert.equal((await refusedWith(signed({ v: 'two' }), TOP_ERRORS.invalidVersion)).error.code, 33);
      const unsupported = await refusedWith(signed({ v: '1.0' }), TOP_ERRORS.unsupportedVersion);
      assert.deepEqual([unsupported.error.code, unsupported.error.sub_code], [34, 'isv.invalid-parameter:v']);
      assert.equal((await refusal(signed({ v: '2' }))).error.code, 34);
    });

    it('28 when app_key is missing', async () => {
      const r = await refusedWith(signed({ app_key: undefined }), TOP_ERRORS.missingAppKey);
      assert.deepEqual(
        [r.error.code, r.error.msg, r.error.sub_code],
        [28, 'Missing app key', 'isv.missing-parameter:app_key'],
      );
    });

    it('29 "Invalid app Key" isv.appkey-not-exists for an unknown app key, with no sub_msg, as TOP answers', async () => {
      await refusedWith(signed({ app_key: '99999999' }), {
        code: 29,
        msg: 'Invalid app Key',
        sub_code: 'isv.appkey-not-exists',
      });
    });

    it('30 when timestamp is missing', async () => {
      const r = await refusedWith(signed({ timestamp: undefined }), TOP_ERRORS.missingTimestamp);
      assert.deepEqual([r.error.code, r.error.msg], [30, 'Missing timestamp']);
    });

    it('31 for a malformed timestamp or one naming no real time', async () => {
      for (const t of [
        '2026-03-01T12:00:00',
        '2026-03-01 12:00',
        '2026/03/01 12:00:00',
        '2026-3-1 12:00:00',
        ' 2026-03-01 12:00:00',
        '2026-02-29 12:00:00',
        '2026-03-01 24:00:00',
        '1772337600000',
      ]) {
        const r = await refusedWith(signed({ timestamp: t }), TOP_ERRORS.malformedTimestamp);
        assert.deepEqual(
          [r.error.code, r.error.msg, r.error.sub_code],
          [31, 'Invalid timestamp', 'isv.invalid-parameter:timestamp'],
          t,
        );
      }
    });

    it('reads the timestamp as Beijing time and allows exactly 10 minutes either way', async () => {
      for (const [t, now] of [
        ['2026-03-01 12:00:00', NOW + 10 * MINUTE],
        ['2026-03-01 12:00:00', NOW - 10 * MINUTE],
        ['2026-03-01 11:50:00', NOW],
        ['2026-03-01 12:10:00', NOW],
      ] as const) {
        assert.equal(
          (await readTopRequest(signed({ timestamp: t }), deps({ now }))).ok,
          true,
          `${t} at ${now}`,
        );
      }
    });

    it('31 at 10 minutes and 1 second late or early (in the future)', async () => {
      for (const [t, now] of [
        ['2026-03-01 12:00:00', NOW + 10 * MINUTE + 1000],
        ['2026-03-01 12:00:00', NOW - 10 * MINUTE - 1000],
        ['2026-03-01 11:49:59', NOW],
        ['2026-03-01 12:10:01', NOW],
        ['2026-03-01 04:00:00', NOW],
      ] as const) {
        await refusedWith(signed({ timestamp: t }), TOP_ERRORS.staleTimestamp, { now });
      }
      assert.equal(TOP_ERRORS.staleTimestamp.code, 31);
    });

    it('24 when sign is missing', async () => {
      const r = await refusedWith({ ...signed(), sign: undefined }, TOP_ERRORS.missingSignature);
      assert.deepEqual(
        [r.error.code, r.error.msg, r.error.sub_code],
        [24, 'Missing signature', 'isv.missing-parameter:sign'],
      );
    });

    it('25 for an unsupported sign_method, before any secret is looked up', async () => {
      let looked = false;
      const raw = { ...signed(), sign_method: 'sha1' };
      const r = await refusedWith(raw, TOP_ERRORS.unsupportedSignMethod, {
        secretOf: async () => {
          looked = true;
          return SECRET;
        },
      });
      assert.deepEqual(
        [r.error.code, r.error.msg, r.error.sub_code],
        [25, 'Invalid signature', 'isv.invalid-parameter:sign_method'],
      );
      assert.equal(looked, false);
      assert.equal((await refusal({ ...signed(), sign_method: 'MD5' })).error.code, 25);
    });

    it('25 isv.invalid-signature for a wrong sign of the right length, a lowercase one, or a tampered parameter', async () => {
      const good = signed();
      const sign = good.sign!;
      const flipped = `${sign.slice(0, -1)}${sign.endsWith('0') ? '1' : '0'}`;
      for (const raw of [
        { ...good, sign: flipped },
        { ...good, sign: sign.toLowerCase() },
        { ...good, operate_request: '{"operate_type":"MODIFY"}' },
        { ...good, extra: 'unsigned' },
        { ...signed({}, 'hmac'), sign_method: 'hmac-sha256' },
      ]) {
        const r = await refusedWith(raw, TOP_ERRORS.invalidSignature);
        assert.deepEqual(
          [r.error.code, r.error.msg, r.error.sub_code],
          [25, 'Invalid signature', 'isv.invalid-signature'],
        );
      }
    });

    it('25 for a request signed with another secret', async () => {
      const good = signed();
      await refusedWith(good, TOP_ERRORS.invalidSignature, { secretOf: async () => 'another' });
    });

    it('26 when the method needs a session and none is sent; a signed session passes', async () => {
      await refusedWith(signed(), TOP_ERRORS.missingSession, { requireSession: true });
      const ok = await readTopRequest(signed({ session: 'sess' }), deps({ requireSession: true }));
      assert.ok(ok.ok);
      assert.equal(ok.session, 'sess');
    });
  });

  describe('order of the checks', () => {
    it('method before format, version, app key, timestamp and sign', async () => {
      const raw = { format: 'yaml', v: '9', timestamp: 'bad' };
      assert.equal((await refusal(raw)).error.code, 21);
    });

    it('format, then version, then app key, then timestamp, then sign', async () => {
      assert.equal((await refusal({ method: METHOD, format: 'yaml', v: '9' })).error.code, 23);
      assert.equal((await refusal({ method: METHOD, v: '9' })).error.code, 34);
      assert.equal((await refusal({ method: METHOD, v: '2.0', timestamp: 'bad' })).error.code, 28);
      assert.equal((await refusal({ method: METHOD, v: '2.0', app_key: 'nope' })).error.code, 30);
      assert.equal(
        (await refusal({ method: METHOD, v: '2.0', app_key: 'nope', timestamp: 'x' })).error.code,
        31,
      );
      assert.equal(
        (await refusal({ method: METHOD, v: '2.0', app_key: 'nope', timestamp: '2026-03-01 12:00:00' })).error
          .code,
        24,
      );
    });

    it('an unknown app key (29) only once the request is otherwise well formed and signed', async () => {
      assert.equal(
        (await refusal(signed({ app_key: 'nope', timestamp: '2020-01-01 00:00:00' }))).error.code,
        31,
      );
      assert.equal((await refusal({ ...signed({ app_key: 'nope' }), sign: 'X' })).error.code, 29);
    });

    it('keeps the asked format and simplify for rendering a refusal', async () => {
      const r = await refusal({ ...signed({ simplify: 'true' }), sign: 'WRONG' });
      assert.deepEqual([r.format, r.simplify], ['json', true]);
    });
  });
});

describe('missingArgument / invalidArgument (40 / 41 for the method layer)', () => {
  it('spells 40 as TOP does, naming the argument', () => {
    assert.deepEqual(missingArgument('operate_request'), {
      code: 40,
      msg: 'Missing required arguments:operate_request',
      sub_code: 'isv.missing-parameter:operate_request',
    });
  });

  it('spells 41 as TOP does, naming the argument, with an optional sub_msg', () => {
    assert.deepEqual(invalidArgument('operate_request'), {
      code: 41,
      msg: 'Invalid arguments:operate_request',
      sub_code: 'isv.invalid-parameter:operate_request',
    });
    assert.equal(invalidArgument('sign_over_time_hour', '可选值:24,36,48,72').sub_msg, '可选值:24,36,48,72');
  });
});

describe('TOP_ERRORS', () => {
  it('uses only TOP platform codes, each msg in TOP’s spelling', () => {
    const seen = Object.values(TOP_ERRORS).map((e) => `${e.code} ${e.msg}`);
    assert.deepEqual(
      new Set(seen),
      new Set([
        '21 Missing method',
        '22 Invalid method',
        '23 Invalid format',
        '32 Missing version',
        '33 Invalid version',
        '34 Unsupported version',
        '28 Missing app key',
        '29 Invalid app Key',
        '30 Missing timestamp',
        '31 Invalid timestamp',
        '24 Missing signature',
        '25 Invalid signature',
        '26 Missing session',
      ]),
    );
    for (const e of Object.values(TOP_ERRORS)) assert.match(e.sub_code, /^isv\./);
  });
});
