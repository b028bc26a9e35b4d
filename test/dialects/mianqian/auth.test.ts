import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_ORDER_ID, DEMO_PASSWORD } from '../../../src/seed/demo.js';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';

describe('back-office login, sessions and roles', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ demo: true });
  });
  after(() => t.close());

  const login = (username: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

  it('logs in a demo account: a bearer token, an HttpOnly SameSite cookie and the roles', async () => {
    const res = await login('demo-mianqian', DEMO_PASSWORD);
    assert.equal(res.statusCode, 200);
    const b = body(res);
    assert.equal(b.code, 1);
    assert.match(b.data.token, /^[\w-]{43}$/);
    assert.deepEqual(b.data.staff, {
      id: b.data.staff.id,
      username: 'demo-mianqian',
      display_name: 'demo-mianqian',
      roles: ['mianqian'],
    });
    assert.equal(b.data.expires_at, t.clock.now() + 12 * 3_600_000);
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, /^ft_session=[\w-]{43};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
  });

  it('stores argon2id hashes and only a hash of the session token', async () => {
    const staff = await t.db.kysely
      .selectFrom('staff')
      .select('password_hash')
      .where('username', '=', 'demo-admin')
      .executeTakeFirstOrThrow();
    assert.match(staff.password_hash, /^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    const token = body(await login('demo-admin', DEMO_PASSWORD)).data.token;
    const sessions = await t.db.kysely.selectFrom('staff_sessions').select('token_hash').execute();
    assert.ok(sessions.every((s) => s.token_hash !== token && /^[0-9a-f]{64}$/.test(s.token_hash)));
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    for (const [user, pass] of [
      ['demo-admin', 'nope'],
      ['nobody', DEMO_PASSWORD],
    ] as const) {
      const res = await login(user, pass);
      assert.equal(res.statusCode, 401);
      assert.deepEqual(body(res), { code: 0, errors: [], msg: '用户名或密码错误' });
    }
  });

  it('reports missing credentials by field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: {} });
    assert.deepEqual(body(res).errors, [
      { field: 'username', error: '用户名不能为空' },
      { field: 'password', error: '密码不能为空' },
    ]);
  });

  it('no login, no data: every family-1 route answers 401 in the envelope', async () => {
    for (const url of [
      `/order_mianqian/order_detail?son_order_id=${DEMO_ORDER_ID}`,
      '/order_mianshen/ajax_get_list',
      '/order_mianqian/index',
      '/api/auth/me',
    ]) {
      const res = await t.app.inject({ url });
      assert.equal(res.statusCode, 401, url);
      assert.deepEqual(body(res), { code: 0, errors: [], msg: '请先登录' });
    }
    const post = await t.app.inject({
      method: 'POST',
      url: '/order_mianqian/order_pass',
      payload: { son_order_id: DEMO_ORDER_ID },
    });
    assert.equal(post.statusCode, 401);
    const forged = await t.app.inject({ url: '/order_mianqian/index', headers: bearer('forged-token') });
    assert.equal(forged.statusCode, 401);
  });

  it('accepts the session cookie in place of the bearer token, and logout ends the session', async () => {
    const token = body(await login('demo-mianqian', DEMO_PASSWORD)).data.token;
    const viaCookie = await t.app.inject({ url: '/api/auth/me', cookies: { ft_session: token } });
    assert.equal(body(viaCookie).data.username, 'demo-mianqian');
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(token) });
    assert.deepEqual(body(out), { code: 1, msg: '已退出', data: null });
    assert.match(String(out.headers['set-cookie']), /ft_session=;/);
    assert.equal((await t.app.inject({ url: '/api/auth/me', headers: bearer(token) })).statusCode, 401);
  });

  it('expires sessions after their lifetime', async () => {
    const token = body(await login('demo-mianqian', DEMO_PASSWORD)).data.token;
    t.clock.advance(12 * 3_600_000 + 1);
    try {
      assert.equal((await t.app.inject({ url: '/api/auth/me', headers: bearer(token) })).statusCode, 401);
    } finally {
      t.clock.advance(-(12 * 3_600_000 + 1));
    }
  });

  it('ends a session at its expiry even when it was used just before', async () => {
    const token = body(await login('demo-mianqian', DEMO_PASSWORD)).data.token;
    const lifetime = 12 * 3_600_000;
    t.clock.advance(lifetime - 1000);
    try {
      assert.equal((await t.app.inject({ url: '/api/auth/me', headers: bearer(token) })).statusCode, 200);
      t.clock.advance(1000);
      assert.equal((await t.app.inject({ url: '/api/auth/me', headers: bearer(token) })).statusCode, 401);
    } finally {
      t.clock.advance(-lifetime);
    }
  });

  it('a session ended on another server stops working here within the 5 s cache window', async () => {
    const token = body(await login('demo-mianqian', DEMO_PASSWORD)).data.token;
    assert.equal((await t.app.inject({ url: '/api/auth/me', headers: bearer(token) })).statusCode, 200);
    // Another server's logout: the row is gone, this server has not been told.
    await t.db.kysely.deleteFrom('staff_sessions').execute();
    t.clock.advance(4999);
    try {
      assert.equal((await t.app.inject({ url: '/api/auth/me', headers: bearer(token) })).statusCode, 200);
      t.clock.advance(1);
      const res = await t.app.inject({ url: '/api/auth/me', headers: bearer(token) });
      assert.equal(res.statusCode, 401);
      assert.equal(body(res).msg, '请先登录');
    } finally {
      t.clock.advance(-5000);
    }
  });

  it('a 客服 account may not read or act on the 面签 workbench (403)', async () => {
    const token = body(await login('demo-kefu', DEMO_PASSWORD)).data.token;
    const detail = await t.app.inject({
      url: `/order_mianqian/order_detail?son_order_id=${DEMO_ORDER_ID}`,
      headers: bearer(token),
    });
    assert.equal(detail.statusCode, 403);
    assert.deepEqual(body(detail), { code: 0, errors: [], msg: '需要面签权限' });
    const pass = await t.app.inject({
      method: 'POST',
      url: '/order_mianqian/order_pass',
      headers: bearer(token),
      payload: { son_order_id: DEMO_ORDER_ID },
    });
    assert.equal(pass.statusCode, 403);
    const order = await t.db.kysely
      .selectFrom('loan_orders')
      .select('stage')
      .where('son_order_id', '=', DEMO_ORDER_ID)
      .executeTakeFirstOrThrow();
    assert.equal(order.stage, 'mianqian');
  });

  it('only an admin creates accounts, and the new account can log in with its roles', async () => {
    const admin = body(await login('demo-admin', DEMO_PASSWORD)).data.token;
    const kefu = body(await login('demo-kefu', DEMO_PASSWORD)).data.token;
    const payload = {
      username: 'zhang.san',
      password: 'longer-secret',
      display_name: '张三',
      roles: ['mianqian', 'quanzheng'],
    };
    const refused = await t.app.inject({ method: 'POST', url: '/api/staff', headers: bearer(kefu), payload });
    assert.equal(refused.statusCode, 403);
    const created = body(
      await t.app.inject({ method: 'POST', url: '/api/staff', headers: bearer(admin), payload }),
    );
    assert.equal(created.code, 1);
    assert.deepEqual(created.data.roles, ['mianqian', 'quanzheng']);
    const me = body(await login('zhang.san', 'longer-secret'));
    assert.deepEqual(me.data.staff.roles, ['mianqian', 'quanzheng']);
    const duplicate = body(
      await t.app.inject({ method: 'POST', url: '/api/staff', headers: bearer(admin), payload }),
    );
    assert.deepEqual(duplicate.errors, [{ field: 'username', error: '用户名已存在' }]);
    const bad = body(
      await t.app.inject({
        method: 'POST',
        url: '/api/staff',
        headers: bearer(admin),
        payload: { username: 'x', password: '1', roles: ['boss'] },
      }),
    );
    assert.deepEqual(
      bad.errors.map((e: { field: string }) => e.field),
      ['username', 'password', 'roles'],
    );
    const list = body(await t.app.inject({ url: '/api/staff', headers: bearer(admin) }));
    assert.ok(list.data.staff.some((s: { username: string }) => s.username === 'zhang.san'));
  });
});

describe('login throttling', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ demo: true });
  });
  after(() => t.close());

  it('locks an account name for 15 minutes after 5 failures, even for the right password', async () => {
    const attempt = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'demo-zhongshen', password },
      });
    for (let i = 0; i < 5; i++) assert.equal((await attempt('wrong')).statusCode, 401);
    const locked = await attempt(DEMO_PASSWORD);
    assert.equal(locked.statusCode, 429);
    assert.deepEqual(body(locked), { code: 0, errors: [], msg: '登录失败次数过多，请15分钟后再试' });
    t.clock.advance(15 * 60_000 + 1);
    assert.equal(body(await attempt(DEMO_PASSWORD)).code, 1);
  });

  it('names a refused login field in Chinese, not by its wire name', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'u'.repeat(65), password: 'p'.repeat(129) },
    });
    assert.deepEqual(body(res).errors, [
      { field: 'username', error: '用户名不能超过64个字符' },
      { field: 'password', error: '密码不能超过128个字符' },
    ]);
  });
});
