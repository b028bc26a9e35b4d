import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';
import { testDialect } from '../../helpers/test-database.js';

describe(`PATCH /api/staff/:id and the disabled flag in GET /api/staff (${testDialect()})`, () => {
  let t: TestApp;
  let admin: string;
  let adminId: number;
  let clerk: { id: number; token: string };
  const patch = (id: number | string, payload: Record<string, unknown>, token = admin) =>
    t.app.inject({ method: 'PATCH', url: `/api/staff/${id}`, headers: bearer(token), payload });
  const me = (token: string) => t.app.inject({ url: '/api/auth/me', headers: bearer(token) });

  before(async () => {
    t = await startTestApp();
    admin = await t.tokenFor('admin');
    adminId = body(await me(admin)).data.id;
    const token = await t.tokenFor('kefu');
    clerk = { id: body(await me(token)).data.id, token };
  });
  after(() => t.close());

  it('changes roles and display name, ends the sessions, and writes an audit row', async () => {
    const res = body(await patch(clerk.id, { roles: 'mianqian,quanzheng', display_name: '王面签' }));
    assert.equal(res.code, 1, JSON.stringify(res));
    assert.deepEqual(
      { ...res.data, username: undefined },
      {
        id: clerk.id,
        username: undefined,
        displayName: '王面签',
        roles: ['mianqian', 'quanzheng'],
        disabled: false,
      },
    );
    // The session cache of this server may still hold the token: wait past it.
    t.clock.advance(10_000);
    assert.equal((await me(clerk.token)).statusCode, 401, 'the old session no longer works');
    const audit = await t.db.kysely
      .selectFrom('audit_log')
      .select(['actor', 'action', 'from_state', 'to_state'])
      .where('entity', '=', 'staff')
      .where('entity_id', '=', String(clerk.id))
      .where('action', '=', 'update')
      .execute();
    assert.deepEqual(audit, [
      { actor: `staff:${adminId}`, action: 'update', from_state: 'kefu', to_state: 'mianqian,quanzheng' },
    ]);
  });

  it('disables and enables an account, as GET /api/staff shows', async () => {
    assert.equal(body(await patch(clerk.id, { disabled: 1 })).data.disabled, true);
    const listed = body(await t.app.inject({ url: '/api/staff', headers: bearer(admin) })).data.staff;
    assert.equal(listed.find((s: { id: number }) => s.id === clerk.id).disabled, true);
    assert.equal(listed.find((s: { id: number }) => s.id === adminId).disabled, false);
    assert.equal(body(await patch(clerk.id, { disabled: '0' })).data.disabled, false);
  });

  it('refuses bad fields by name, an unknown account, and locking oneself out', async () => {
    const bad = body(await patch(clerk.id, { roles: ['boss'], disabled: 2, display_name: '' }));
    assert.equal(bad.code, 0);
    assert.deepEqual(bad.errors.map((e: { field: string }) => e.field).sort(), ['disabled', 'roles']);
    const self = body(await patch(adminId, { roles: 'kefu', disabled: 1 }));
    assert.deepEqual(
      self.errors.map((e: { field: string; error: string }) => [e.field, e.error]),
      [
        ['disabled', '不能停用自己的账号'],
        ['roles', '不能取消自己的管理员角色'],
      ],
    );
    assert.deepEqual(body(await patch(999_999, { disabled: 1 })).errors, [
      { field: 'id', error: '账号不存在' },
    ]);
    assert.equal(body(await patch('x', {})).errors[0].field, 'id');
  });

  it('is admin only', async () => {
    const kefu = await t.tokenFor('kefu');
    assert.equal((await patch(clerk.id, { disabled: 1 }, kefu)).statusCode, 403);
    assert.equal(
      (await t.app.inject({ method: 'PATCH', url: `/api/staff/${clerk.id}`, payload: {} })).statusCode,
      401,
    );
  });
});
