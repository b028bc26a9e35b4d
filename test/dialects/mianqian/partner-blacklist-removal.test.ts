import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, body, startTestApp, TEST_NOW, type TestApp } from '../../helpers/test-app.js';
import { testDialect } from '../../helpers/test-database.js';

describe(`DELETE /api/partner-blacklist/:id (${testDialect()})`, () => {
  let t: TestApp;
  let admin: string;
  let kefu: string;
  let adminId: number;
  const remove = (id: number | string, token?: string) =>
    t.app.inject({
      method: 'DELETE',
      url: `/api/partner-blacklist/${id}`,
      ...(token ? { headers: bearer(token) } : {}),
    });
  const entries = async () =>
    body(await t.app.inject({ url: '/api/partner-blacklist', headers: bearer(admin) })).data.entries;
  /** Blacklists the person as the admin; the answer must be the success. */
  const add = async (idCard: string, reason: string) => {
    const added = body(
      await t.app.inject({
        method: 'POST',
        url: '/api/partner-blacklist',
        headers: bearer(admin),
        payload: { id_card: idCard, reason },
      }),
    );
    assert.equal(added.code, 1, JSON.stringify(added));
  };

  before(async () => {
    t = await startTestApp();
    admin = await t.tokenFor('admin');
    kefu = await t.tokenFor('kefu');
    adminId = Number(
      (
        await t.db.kysely
          .selectFrom('staff')
          .select('id')
          .where('roles', '=', 'admin')
          .executeTakeFirstOrThrow()
      ).id,
    );
    await add('110101199003074477', '欺诈');
    await add('110101199003071217', '逾期');
  });
  after(() => t.close());

  it('is admin only, and needs a session', async () => {
    const [entry] = await entries();
    assert.equal((await remove(entry.id, kefu)).statusCode, 403);
    assert.equal((await remove(entry.id)).statusCode, 401);
    assert.equal((await entries()).length, 2, 'nothing removed');
  });

  it('removes the entry, audited as the addition is (the same entity, the reason kept)', async () => {
    const before = await entries();
    const target = before.find((e: { reason: string }) => e.reason === '欺诈');
    const res = await remove(target.id, admin);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(body(res), { code: 1, msg: '已移出黑名单', data: null });
    assert.deepEqual(
      (await entries()).map((e: { reason: string }) => e.reason),
      ['逾期'],
    );
    const trail = await t.db.kysely
      .selectFrom('audit_log')
      .select(['actor', 'entity_id', 'action', 'from_state', 'to_state', 'reason', 'created_at'])
      .where('entity', '=', 'partner_blacklist')
      .orderBy('id')
      .execute();
    const added = trail.find((row) => row.action === 'add' && row.reason === '欺诈');
    const removed = trail.find((row) => row.action === 'remove');
    assert.ok(added && removed);
    assert.deepEqual(
      { ...removed, created_at: Number(removed.created_at) },
      {
        actor: `staff:${adminId}`,
        entity_id: added.entity_id,
        action: 'remove',
        from_state: 'blacklisted',
        to_state: null,
        reason: '欺诈',
        created_at: TEST_NOW,
      },
    );
  });

  it('lets the person be blacklisted again afterwards', async () => {
    await add('110101199003074477', '再次欺诈');
  });

  it('removes an entry once when admins remove it at the same moment: one 200, the rest 404, one audit row', async () => {
    await add('11010519491231002X', '同时移出');
    const target = (await entries()).find((e: { reason: string }) => e.reason === '同时移出');
    const answers = await Promise.all(Array.from({ length: 4 }, () => remove(target.id, admin)));
    assert.deepEqual(answers.map((res) => res.statusCode).sort(), [200, 404, 404, 404]);
    for (const res of answers.filter((r) => r.statusCode === 404))
      assert.deepEqual(body(res).errors, [{ field: 'id', error: '黑名单记录不存在' }]);
    const removals = await t.db.kysely
      .selectFrom('audit_log')
      .select('id')
      .where('entity', '=', 'partner_blacklist')
      .where('action', '=', 'remove')
      .where('reason', '=', '同时移出')
      .execute();
    assert.equal(removals.length, 1);
  });

  it('answers 404 in the envelope for an entry that is not there, and names a bad id', async () => {
    const missing = await remove(999_999, admin);
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(body(missing), {
      code: 0,
      errors: [{ field: 'id', error: '黑名单记录不存在' }],
      msg: '黑名单记录不存在',
    });
    const bad = body(await remove('abc', admin));
    assert.equal(bad.code, 0);
    assert.equal(bad.errors[0].field, 'id');
    assert.match(bad.errors[0].error, /编号/);
  });
});
