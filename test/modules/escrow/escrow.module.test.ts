import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { listAuditFor } from '../../../src/modules/audit/index.js';
import { createEscrowModule, type EscrowModule } from '../../../src/modules/escrow/index.js';
import type { PaymentDeps } from '../../../src/modules/payments/index.js';
import { PayoutSandbox } from '../../../src/platform/payouts/index.js';
import { createPii } from '../../../src/platform/pii.js';
import { ReplayedRequest } from '../../../src/platform/replay/signature-memory.js';
import { memorySmsProvider } from '../../../src/platform/sms/sms-provider.js';
import { rejectedDomainError } from '../../helpers/domain-errors.js';
import { openMigratedTestDatabase } from '../../helpers/test-database.js';
import { createRequest, idNumber, phone } from './escrow-fixtures.js';

type TestDb = Awaited<ReturnType<typeof openMigratedTestDatabase>>['db'];

const NOW = Date.parse('2024-06-01T10:00:00+08:00');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const pii = createPii(Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex'));
const BASE = 'https://fangtong.test';
const templates = { login: 'SMS_1001', bind_card: 'SMS_1002', escrow: 'SMS_1003', parking: 'SMS_1004' };

describe('escrow module', () => {
  let db: TestDb;
  let close: () => Promise<void>;
  let escrow: EscrowModule;
  const sms = memorySmsProvider();
  let isv: NonNullable<Awaited<ReturnType<EscrowModule['isvs']['find']>>>;
  let ip = 0;
  const freshIp = () => `10.1.${Math.floor(++ip / 250)}.${ip % 250}`;

  before(async () => {
    ({ db, close } = await openMigratedTestDatabase());
    escrow = createEscrowModule({
      db: db.kysely,
      pii,
      sms: { provider: sms, signName: '房通', templates },
      publicBaseUrl: `${BASE}/`,
      replayMs: 30 * DAY,
      // Money is not what these tests are about (escrow-funds.test.ts covers it through the app).
      payments: {} as PaymentDeps,
      payouts: new PayoutSandbox(),
    });
    await escrow.isvs.create(
      { appKey: 'isv_main', secret: 's'.repeat(32), methods: '*', storeIds: [10223, 10224] },
      NOW,
      'test',
    );
    isv = (await escrow.isvs.find('isv_main'))!;
  });
  after(() => close());

  const tokenOf = (url: string) => url.slice(`${BASE}/escrow/accept/`.length);
  /** Texts the party a code and answers it. */
  const codeFor = async (token: string, at: number) => {
    await escrow.acceptance.sendCode(token, freshIp(), at);
    const message = sms.sent.at(-1)!;
    assert.equal(message.templateId, 'SMS_1003');
    return /验证码(\d{6})，/.exec(message.text)![1]!;
  };
  const accept = async (token: string, at: number, termsHash?: string) =>
    escrow.acceptance.accept(token, { code: await codeFor(token, at), ip: '192.0.2.7', termsHash }, at);

  describe('ISVs', () => {
    it('validates app_key and secret, lists without the secret, finds with it decrypted', async () => {
      const error = await rejectedDomainError(() =>
        escrow.isvs.create({ appKey: 'ab', secret: 'short', methods: '*', storeIds: '*' }, NOW, 'test'),
      );
      assert.deepEqual(
        error.fields.map((f) => f.field),
        ['app_key', 'secret'],
      );
      const dup = await rejectedDomainError(() =>
        escrow.isvs.create(
          { appKey: 'isv_main', secret: 'x'.repeat(16), methods: '*', storeIds: '*' },
          NOW,
          't',
        ),
      );
      assert.equal(dup.fields[0]!.error, 'app_key已存在');
      const list = await escrow.isvs.list();
      assert.equal(list.length, 1);
      assert.ok(!JSON.stringify(list).includes('s'.repeat(32)));
      assert.deepEqual(list[0]!.storeIds, [10223, 10224]);
      assert.equal(isv.secret, 's'.repeat(32));
      const row = await db.kysely.selectFrom('escrow_isvs').select('secret_enc').executeTakeFirstOrThrow();
      // Sealed: none of it in the clear (a short run such as 'sss' appears in the random
      // ciphertext by chance), and it opens to the secret.
      assert.match(row.secret_enc, /^v1\./);
      assert.ok(!row.secret_enc.includes('s'.repeat(32)));
      assert.equal(pii.decrypt(row.secret_enc), 's'.repeat(32));
      assert.equal(await escrow.isvs.find('nobody'), undefined);
    });

    it('spends a signature once per app_key, rolls back with its transaction, and forgets whole days past the window', async () => {
      const spends = async (appKey: string, at: number) =>
        escrow
          .signature(appKey, 'ABC', at)
          .spend()
          .then(
            () => true,
            (error) => (error instanceof ReplayedRequest ? false : Promise.reject(error)),
          );
      // Spent in a transaction that rolls back, it stays unspent.
      await assert.rejects(
        db.kysely.transaction().execute(async (trx) => {
          await escrow.signature('isv_main', 'ABC', NOW).spend(trx);
          throw new Error('the change failed');
        }),
        /the change failed/,
      );
      assert.equal(await spends('isv_main', NOW), true);
      assert.equal(await spends('isv_main', NOW + DAY), false);
      assert.equal(await spends('isv_other', NOW), true);
      const forget = escrow.jobs.find((j) => j.name === 'escrow.forget-signatures')!;
      await forget.run(NOW + 29 * DAY);
      assert.equal(await spends('isv_main', NOW + 29 * DAY), false);
      await forget.run(NOW + 32 * DAY);
      assert.equal(await spends('isv_main', NOW + 32 * DAY), true);
    });

    it('logs calls without arguments, calls made together in one statement, each awaited to its row', async () => {
      await Promise.all(
        ['0', '41', '25'].map((code) =>
          escrow.logCall({
            appKey: 'isv_main',
            method: 'tmall.alihouse.trade.order.second.house.operate',
            code,
            at: NOW,
          }),
        ),
      );
      const rows = await db.kysely.selectFrom('escrow_call_log').selectAll().orderBy('id').execute();
      assert.deepEqual(
        rows.map((r) => r.code),
        ['0', '41', '25'],
      );
      assert.deepEqual(Object.keys(rows[0]!).sort(), ['app_key', 'code', 'created_at', 'id', 'method']);
    });
  });

  describe('CREATE', () => {
    it('answers the template, a dated house_order_no, one URL per role, and stores personal data sealed', async () => {
      const answer = await escrow.operate(isv, createRequest(1), NOW);
      assert.equal(answer.template_id, 'FUND_ESCROW_MORTGAGE');
      assert.match(answer.house_order_no, /^20240601\d{10}$/);
      assert.match(answer.buyer_url, /^https:\/\/fangtong\.test\/escrow\/accept\/[A-Za-z0-9_-]{43}$/);
      assert.notEqual(answer.buyer_url, answer.landlord_url);
      assert.equal(answer.store_id, 10223);
      const parties = await db.kysely.selectFrom('escrow_parties').selectAll().execute();
      const order = await db.kysely.selectFrom('escrow_orders').selectAll().executeTakeFirstOrThrow();
      const stored = JSON.stringify({ parties, order });
      for (const secret of [idNumber(11), phone(1, 1), '13900000000', tokenOf(answer.buyer_url)]) {
        assert.ok(!stored.includes(secret), `${secret} is stored in clear`);
      }
      assert.equal(parties[0]!.phone_masked, `${phone(1, 1).slice(0, 8)}***`);
      assert.equal(
        parties[0]!.token_hash,
        createHash('sha256').update(tokenOf(answer.buyer_url)).digest('hex'),
      );
      assert.equal(Number(order.deadline_at), NOW + 24 * HOUR);
      const audit = await listAuditFor(db.kysely, 'escrow_order', answer.house_order_no);
      assert.deepEqual(
        audit.map((a) => [a.action, a.to_state]),
        [['create', 'inviting']],
      );
    });

    it('is idempotent per case: the same request answers the same order and URLs; other terms are refused', async () => {
      const first = await escrow.operate(isv, createRequest(2), NOW);
      const again = await escrow.operate(isv, createRequest(2), NOW + HOUR);
      assert.deepEqual(again, first);
      const error = await rejectedDomainError(() =>
        escrow.operate(isv, createRequest(2, { house_address: '别处' }), NOW + HOUR),
      );
      assert.equal(error.code, 'conflict');
      const got = await escrow.get(isv, { house_order_no: first.house_order_no }, NOW + HOUR);
      assert.equal(got.terms.house_address, '浙江省杭州市西湖区文三路1号');
    });

    it('concurrent CREATEs of one case make one order', async () => {
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => escrow.operate(isv, createRequest(3), NOW)),
      );
      for (const a of answers) assert.deepEqual(a, answers[0]);
      const rows = await db.kysely
        .selectFrom('escrow_orders')
        .select('id')
        .where('source_no', '=', 'CASE-3')
        .execute();
      assert.equal(rows.length, 1);
    });

    it('only for stores the ISV may act for', async () => {
      const error = await rejectedDomainError(() =>
        escrow.operate(isv, createRequest(4, { store_id: 999 }), NOW),
      );
      assert.equal(error.code, 'forbidden');
      const none = await rejectedDomainError(() =>
        escrow.operate(isv, createRequest(4, { store_id: undefined }), NOW),
      );
      assert.equal(none.code, 'forbidden');
      await escrow.operate(isv, createRequest(4, { store_id: 10224 }), NOW);
    });

    it('reports validation errors with paths before anything is stored', async () => {
      const error = await rejectedDomainError(() =>
        escrow.operate(isv, createRequest(5, { source_no: '', buyer_infos: [{ name: '甲' }] }), NOW),
      );
      assert.equal(error.code, 'validation');
      assert.ok(error.fields.some((f) => f.field === 'source_no'));
      assert.ok(error.fields.some((f) => f.field === 'buyer_infos[0].card_no'));
      const op = await rejectedDomainError(() => escrow.operate(isv, { operate_type: 'DELETE' }, NOW));
      assert.equal(op.fields[0]!.field, 'operate_type');
    });
  });

  describe('acceptance', () => {
    it('shows the terms, accepts with an SMS code and the terms hash, signs when all accepted', async () => {
      const answer = await escrow.operate(isv, createRequest(6), NOW);
      const buyer = tokenOf(answer.buyer_url);
      const landlord = tokenOf(answer.landlord_url);
      const view = await escrow.acceptance.view(buyer, NOW + 1);
      assert.equal(view.state, 'inviting');
      assert.equal(view.party.role, 'buyer');
      assert.equal(view.party.phone, `${phone(6, 1).slice(0, 8)}***`);
      assert.equal(view.terms.house_deal_price, 100_000_000);
      assert.equal(view.terms.service_provider_phone, '13900000***');

      const wrong = await rejectedDomainError(() =>
        escrow.acceptance.accept(buyer, { code: '000000x', ip: '1.1.1.1' }, NOW + 2),
      );
      assert.equal(wrong.fields[0]!.field, 'code');

      assert.deepEqual(await accept(buyer, NOW + 3, view.terms_hash), {
        state: 'inviting',
        all_accepted: false,
      });
      const twice = await rejectedDomainError(() => accept(buyer, NOW + 2 * 60_000));
      assert.equal(twice.code, 'illegal_transition');
      assert.deepEqual(await accept(landlord, NOW + 4), { state: 'signed', all_accepted: true });

      const parties = await db.kysely
        .selectFrom('escrow_parties')
        .innerJoin('escrow_orders', 'escrow_orders.id', 'escrow_parties.order_id')
        .select(['decision_terms_hash', 'decision_ip', 'accepted_at', 'terms_hash'])
        .where('house_order_no', '=', answer.house_order_no)
        .execute();
      for (const p of parties) {
        assert.equal(p.decision_terms_hash, p.terms_hash);
        assert.equal(p.decision_ip, '192.0.2.7');
      }
      const audit = await listAuditFor(db.kysely, 'escrow_order', answer.house_order_no);
      assert.deepEqual(
        audit.map((a) => [a.action, a.to_state]),
        [
          ['create', 'inviting'],
          ['accept', 'inviting'],
          ['accept', 'signed'],
        ],
      );
      const modify = await rejectedDomainError(() =>
        escrow.operate(
          isv,
          { operate_type: 'MODIFY', house_order_no: answer.house_order_no, house_address: '别处' },
          NOW + 5,
        ),
      );
      assert.equal(modify.code, 'illegal_transition');
      assert.equal(
        (await escrow.get(isv, { house_order_no: answer.house_order_no }, NOW + 5)).state,
        'signed',
      );
    });

    it('a decline ends the invitation with its reason', async () => {
      const answer = await escrow.operate(isv, createRequest(7), NOW);
      const landlord = tokenOf(answer.landlord_url);
      const code = await codeFor(landlord, NOW);
      assert.deepEqual(
        await escrow.acceptance.decline(landlord, { code, ip: '192.0.2.8', reason: '价格不对' }, NOW + 1),
        { state: 'declined', all_accepted: false },
      );
      const got = await escrow.get(isv, { house_order_no: answer.house_order_no }, NOW + 2);
      assert.equal(got.state, 'declined');
      assert.equal(got.parties.find((p) => p.role === 'landlord')!.decline_reason, '价格不对');
      const buyer = tokenOf(answer.buyer_url);
      assert.equal((await rejectedDomainError(() => codeFor(buyer, NOW + 3))).code, 'illegal_transition');
    });

    it('unknown tokens are not found', async () => {
      for (const token of ['nope', 'A'.repeat(43)]) {
        assert.equal((await rejectedDomainError(() => escrow.acceptance.view(token, NOW))).code, 'not_found');
      }
    });
  });

  describe('MODIFY', () => {
    it('changes terms before signing, resets acceptances, keeps tokens; refuses other ISVs and the case fields', async () => {
      const answer = await escrow.operate(isv, createRequest(8), NOW);
      const buyer = tokenOf(answer.buyer_url);
      const before = await escrow.acceptance.view(buyer, NOW);
      await accept(buyer, NOW + 1);
      const modified = await escrow.operate(
        isv,
        {
          operate_type: 'MODIFY',
          house_order_no: answer.house_order_no,
          house_deal_price: 100_000_001,
          final_pay_amount: 1,
          sign_over_time_hour: 48,
        },
        NOW + 2,
      );
      assert.deepEqual(modified, answer);
      const view = await escrow.acceptance.view(buyer, NOW + 3);
      assert.notEqual(view.terms_hash, before.terms_hash);
      assert.equal(view.party.accepted_at, null);
      assert.equal(view.deadline_at, NOW + 48 * HOUR);
      // A decision on the terms seen before is refused.
      const stale = await rejectedDomainError(() => accept(buyer, NOW + 2 * 60_000, before.terms_hash));
      assert.equal(stale.code, 'conflict');

      const invalid = await rejectedDomainError(() =>
        escrow.operate(
          isv,
          { operate_type: 'MODIFY', house_order_no: answer.house_order_no, final_pay_amount: 5 },
          NOW,
        ),
      );
      assert.equal(invalid.fields[0]!.field, 'house_deal_price');
      const caseField = await rejectedDomainError(() =>
        escrow.operate(
          isv,
          { operate_type: 'MODIFY', house_order_no: answer.house_order_no, source_no: 'X' },
          NOW,
        ),
      );
      assert.equal(caseField.fields[0]!.field, 'source_no');
      await escrow.isvs.create(
        { appKey: 'isv_other', secret: 'o'.repeat(16), methods: '*', storeIds: '*' },
        NOW,
        't',
      );
      const other = (await escrow.isvs.find('isv_other'))!;
      const foreign = await rejectedDomainError(() =>
        escrow.operate(other, { operate_type: 'MODIFY', house_order_no: answer.house_order_no }, NOW),
      );
      assert.equal(foreign.code, 'not_found');
      assert.equal(
        (await rejectedDomainError(() => escrow.get(other, { house_order_no: answer.house_order_no }, NOW)))
          .code,
        'not_found',
      );
      const missing = await rejectedDomainError(() => escrow.operate(isv, { operate_type: 'MODIFY' }, NOW));
      assert.equal(missing.fields[0]!.field, 'house_order_no');
    });

    it('replacing a party gives the newcomer a new URL and retires the old one', async () => {
      const answer = await escrow.operate(isv, createRequest(9), NOW);
      const newBuyer = {
        name: '钱七',
        cert_type: 1,
        card_no: idNumber(95),
        phone: phone(9, 5),
        out_id: 'B9',
      };
      const modified = await escrow.operate(
        isv,
        { operate_type: 'MODIFY', house_order_no: answer.house_order_no, buyer_infos: [newBuyer] },
        NOW + 1,
      );
      assert.notEqual(modified.buyer_url, answer.buyer_url);
      assert.equal(modified.landlord_url, answer.landlord_url);
      const gone = await rejectedDomainError(() =>
        escrow.acceptance.view(tokenOf(answer.buyer_url), NOW + 2),
      );
      assert.equal(gone.code, 'not_found');
      const got = await escrow.get(isv, { house_order_no: answer.house_order_no }, NOW + 2);
      assert.deepEqual(
        got.parties.map((p) => [p.role, p.name, p.url]),
        [
          ['buyer', '钱七', modified.buyer_url],
          ['landlord', '李四', answer.landlord_url],
        ],
      );
    });

    it('an accept racing a MODIFY: never both (signed and modified)', async () => {
      for (let round = 0; round < 4; round++) {
        const answer = await escrow.operate(isv, createRequest(20 + round), NOW);
        const buyer = tokenOf(answer.buyer_url);
        const landlord = tokenOf(answer.landlord_url);
        const { terms_hash } = await escrow.acceptance.view(buyer, NOW);
        await accept(landlord, NOW);
        const code = await codeFor(buyer, NOW);
        const [accepted, modified] = await Promise.allSettled([
          escrow.acceptance.accept(buyer, { code, ip: '192.0.2.9', termsHash: terms_hash }, NOW + 1),
          escrow.operate(
            isv,
            {
              operate_type: 'MODIFY',
              house_order_no: answer.house_order_no,
              house_address: `新地址${round}`,
            },
            NOW + 1,
          ),
        ]);
        const got = await escrow.get(isv, { house_order_no: answer.house_order_no }, NOW + 2);
        if (accepted.status === 'fulfilled') {
          assert.equal(modified.status, 'rejected');
          assert.equal(got.state, 'signed');
          assert.equal(got.terms.house_address, '浙江省杭州市西湖区文三路1号');
        } else {
          assert.equal(modified.status, 'fulfilled');
          assert.equal(got.state, 'inviting');
          assert.equal(got.terms.house_address, `新地址${round}`);
          assert.ok(got.parties.every((p) => p.accepted_at === null));
        }
      }
    });
  });

  describe('deadline', () => {
    it('escrow.close-overdue times out inviting invitations past created_at + sign_over_time_hour', async () => {
      const answer = await escrow.operate(isv, createRequest(30, { sign_over_time_hour: 36 }), NOW);
      const token = tokenOf(answer.buyer_url);
      const job = escrow.jobs.find((j) => j.name === 'escrow.close-overdue')!;
      await job.run(NOW + 36 * HOUR - 1);
      assert.equal((await escrow.acceptance.view(token, NOW + 36 * HOUR - 1)).state, 'inviting');
      // Past the deadline the page already says so, before the job runs.
      assert.equal((await escrow.acceptance.view(token, NOW + 36 * HOUR)).state, 'timed_out');
      const late = await rejectedDomainError(() => codeFor(token, NOW + 36 * HOUR));
      assert.equal(late.code, 'illegal_transition');
      await job.run(NOW + 36 * HOUR);
      const got = await escrow.get(isv, { house_order_no: answer.house_order_no }, NOW + 36 * HOUR);
      assert.equal(got.state, 'timed_out');
      const audit = await listAuditFor(db.kysely, 'escrow_order', answer.house_order_no);
      assert.deepEqual(audit.at(-1)!.to_state, 'timed_out');
      // Signed and declined invitations are left alone.
      const signed = await db.kysely
        .selectFrom('escrow_orders')
        .select('state')
        .where('source_no', '=', 'CASE-6')
        .executeTakeFirstOrThrow();
      assert.equal(signed.state, 'signed');
      const modify = await rejectedDomainError(() =>
        escrow.operate(
          isv,
          { operate_type: 'MODIFY', house_order_no: answer.house_order_no },
          NOW + 37 * HOUR,
        ),
      );
      assert.equal(modify.code, 'illegal_transition');
      // Long after, the URL is unknown.
      const expired = await rejectedDomainError(() =>
        escrow.acceptance.view(token, NOW + 36 * HOUR + 31 * DAY),
      );
      assert.equal(expired.code, 'not_found');
    });
  });
});
