import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { memorySmsProvider } from '../../../src/platform/sms/sms-provider.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { createRequest, phone } from '../../modules/escrow/escrow-fixtures.js';

describe("family 3: the acceptance pages' API", () => {
  let t: TestApp;
  const sms = memorySmsProvider();
  let buyer: string;
  let landlord: string;
  before(async () => {
    t = await startTestApp({ sms });
    const isv = await t.app.runtime.modules.escrow.isvs.create(
      { appKey: 'pages-isv', secret: 'pages-isv-secret-012345', methods: '*', storeIds: '*' },
      t.clock.now(),
      'test',
    );
    const answer = await t.app.runtime.modules.escrow.operate(
      { id: isv.id, appKey: isv.appKey, storeIds: '*' },
      createRequest(1),
      t.clock.now(),
    );
    buyer = new URL(answer.buyer_url).pathname.split('/').at(-1)!;
    landlord = new URL(answer.landlord_url).pathname.split('/').at(-1)!;
  });
  after(() => t.close());

  const api = async (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => {
    const res = await t.app.inject({ method, url, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json() };
  };
  const codeTo = (mobile: string) => {
    const message = sms.sent.filter((m) => m.phone === mobile).at(-1);
    assert.ok(message, `a code was texted to ${mobile}`);
    assert.match(
      message.text,
      /^您正在确认二手房交易资金监管邀约，验证码\d{6}，5分钟内有效，请勿告诉他人。$/,
    );
    return message.params.code!;
  };

  it("shows the party the terms, their role and masked phone, without another party's personal data", async () => {
    const view = await api('GET', `/escrow/api/invitations/${buyer}`);
    assert.equal(view.status, 200);
    assert.equal(view.body.code, 0);
    const data = view.body.data;
    assert.equal(data.state, 'inviting');
    assert.match(data.terms_hash, /^[0-9a-f]{64}$/);
    assert.equal(data.terms.house_deal_price, 100_000_000);
    const text = JSON.stringify(data);
    assert.ok(!text.includes(phone(1, 1)), "the buyer's whole phone is not shown");
    assert.ok(!text.includes(phone(1, 2)), "nor the landlord's");
  });

  it("an unknown token answers like a missing invitation, in the pages' envelope", async () => {
    const res = await api('GET', '/escrow/api/invitations/not-a-token');
    assert.equal(res.status, 200);
    assert.equal(res.body.code, -1);
    assert.match(res.body.msg, /[\u4e00-\u9fff]/);
  });

  it('accepts with the texted code: buyer first (waiting), then the landlord signs it', async () => {
    const sent = await api('POST', `/escrow/api/invitations/${buyer}/send-code`, {});
    assert.deepEqual(sent.body.code, 0);
    assert.match(sent.body.data.phone, /\*/);
    const { terms_hash } = (await api('GET', `/escrow/api/invitations/${buyer}`)).body.data;
    // Any code but the one sent (which is 000000 once in a million).
    const wrong = await api('POST', `/escrow/api/invitations/${buyer}/accept`, {
      code: codeTo(phone(1, 1)) === '000000' ? '111111' : '000000',
      terms_hash,
    });
    assert.equal(wrong.body.code, -1);
    assert.deepEqual(
      wrong.body.errors.map((e: { field: string }) => e.field),
      ['code'],
    );
    const first = await api('POST', `/escrow/api/invitations/${buyer}/accept`, {
      code: codeTo(phone(1, 1)),
      terms_hash,
    });
    assert.deepEqual(first.body, { code: 0, data: { state: 'inviting', all_accepted: false } });
    t.clock.advance(60_000);
    await api('POST', `/escrow/api/invitations/${landlord}/send-code`, {});
    const second = await api('POST', `/escrow/api/invitations/${landlord}/accept`, {
      code: codeTo(phone(1, 2)),
      terms_hash,
    });
    assert.deepEqual(second.body, { code: 0, data: { state: 'signed', all_accepted: true } });
    const after = await api('GET', `/escrow/api/invitations/${buyer}`);
    assert.equal(after.body.data.state, 'signed');
  });

  it('names a missing code in Chinese, and a decision on a signed invitation is refused', async () => {
    const missing = await api('POST', `/escrow/api/invitations/${buyer}/decline`, {});
    assert.equal(missing.body.code, -1);
    assert.equal(missing.body.errors[0].field, 'code');
    assert.match(missing.body.msg, /验证码/);
    t.clock.advance(60_000);
    const refused = await api('POST', `/escrow/api/invitations/${buyer}/send-code`, {});
    assert.equal(refused.body.code, -1);
  });
});
