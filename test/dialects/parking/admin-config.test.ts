import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { memorySmsProvider } from '../../../src/platform/sms/sms-provider.js';
import { bearer, body, startTestApp, TEST_NOW, type TestApp } from '../../helpers/test-app.js';
import { codeSentTo, post, signIn } from './parking-fixtures.js';

describe('family 5 back office: parks, orgs, extras, products and prices (admin or parking)', () => {
  let t: TestApp;
  const sms = memorySmsProvider();
  let staff: Record<string, string>;

  before(async () => {
    t = await startTestApp({ sms });
    staff = bearer(await t.tokenFor('parking'));
  });
  after(() => t.close());

  const api = (method: 'GET' | 'POST', url: string, payload?: unknown, headers = staff) =>
    t.app.inject({
      method,
      url: `/api/parking/${url}`,
      headers,
      ...(payload ? { payload: payload as object } : {}),
    });

  it('refuses staff without the parking or admin role', async () => {
    const kefu = bearer(await t.tokenFor('kefu'));
    const response = await api('POST', 'parks', { id: 'P1', name: '东区' }, kefu);
    assert.equal(response.statusCode, 403);
    assert.deepEqual(body(response), { code: 0, errors: [], msg: '需要停车管理权限' });
    const admin = bearer(await t.tokenFor('admin'));
    assert.equal(body(await api('GET', 'parks', undefined, admin)).code, 1);
  });

  it('names every field a form gets wrong in Chinese, by its own meaning, and an item of a list by its place', async () => {
    // Found by fuzzing: these named park_id, unit_type … raw, and a park's name as 客户姓名.
    const refused = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
      const res = await api(method, url, payload);
      assert.equal(res.statusCode, 200, res.body);
      const answer = body(res);
      assert.equal(answer.code, 0);
      return (answer.errors as Array<{ error: string }>).map((e) => e.error);
    };
    assert.deepEqual(await refused('POST', 'products', {}), [
      '停车场Id不能为空',
      '产品名称不能为空',
      '计数单位不能为空',
      '支付前审核不能为空',
      '校内价不能为空',
      '校外价不能为空',
    ]);
    assert.deepEqual(await refused('POST', 'parks', { id: 'P1', name: {} }), ['停车场名称格式不正确']);
    assert.deepEqual(
      await refused('POST', 'parks/EAST01/orgs', {
        orgs: [
          { name: '理学院', org_code: '201', children: [{ name: '数学系', org_code: 'a b' }] },
          { org_code: '202' },
        ],
      }),
      ['组织机构第1项下级机构第1项机构编码格式不正确', '组织机构第2项机构名称不能为空'],
    );
    assert.deepEqual(await refused('GET', 'orders?page=0&page_size=1000&state=xyz'), [
      '订单状态不能超过2个字符',
      '页码格式不正确',
      '每页条数格式不正确',
    ]);
  });

  it('configures a park end to end; the user page sees the tree, the extras and a card at the current prices', async () => {
    const park = await api('POST', 'parks', { id: 'EAST01', name: '东区停车场' });
    assert.deepEqual(body(park), {
      code: 1,
      msg: '创建成功',
      data: { id: 'EAST01', name: '东区停车场', created_at: '2024-06-01 10:00:00' },
    });
    assert.equal(
      body(await api('POST', 'parks', { id: 'EAST01', name: '又一个' })).msg,
      '停车场EAST01已存在',
    );
    assert.deepEqual(body(await api('GET', 'parks')).data, {
      parks: [{ id: 'EAST01', name: '东区停车场', created_at: '2024-06-01 10:00:00' }],
    });

    const orgs = body(
      await api('POST', 'parks/EAST01/orgs', {
        orgs: [
          { name: '理学院', org_code: '201', children: [{ name: '数学系', org_code: '201001' }] },
          { name: '后勤', org_code: '202' },
        ],
      }),
    );
    assert.equal(orgs.code, 1);
    assert.deepEqual(
      orgs.data.orgs.map((o: Record<string, unknown>) => [o.name, o.org_code, o.level, o.parent_org_code]),
      [
        ['理学院', '201', 1, null],
        ['数学系', '201001', 2, '201'],
        ['后勤', '202', 1, null],
      ],
    );
    assert.equal(
      body(await api('POST', 'parks/EAST01/orgs', { orgs: [{ name: 'x', org_code: '202' }] })).msg,
      '机构编码已存在',
    );
    assert.equal(
      body(await api('POST', 'parks/NOPE/orgs', { orgs: [{ name: 'x', org_code: '1' }] })).msg,
      '停车场不存在',
    );

    const extras = body(
      await api('POST', 'parks/EAST01/extras', {
        extras: [
          { name: '驾驶证', code: '0', type: '1', required: true },
          { name: '备注', code: '9', type: '0' },
        ],
      }),
    );
    assert.deepEqual(
      extras.data.extras.map((e: Record<string, unknown>) => [e.name, e.code, e.type, e.seq, e.required]),
      [
        ['驾驶证', '0', '1', 0, true],
        ['备注', '9', '0', 1, false],
      ],
    );

    const bad = await api('POST', 'products', {
      park_id: 'EAST01',
      name: '包季',
      unit_type: '3',
      audit_before_pay: false,
      inside_price: '0',
      outside_price: '1.234',
    });
    assert.deepEqual(body(bad), {
      code: 0,
      errors: [
        { field: 'inside_price', error: '校内价须为大于0、最多两位小数的金额（元）' },
        { field: 'outside_price', error: '校外价须为大于0、最多两位小数的金额（元）' },
      ],
      msg: '校内价须为大于0、最多两位小数的金额（元）等2项错误',
    });
    const product = body(
      await api('POST', 'products', {
        park_id: 'EAST01',
        name: '包月',
        unit_type: '4',
        audit_before_pay: true,
        inside_price: '100',
        outside_price: '200.50',
      }),
    );
    assert.equal(product.code, 1);
    assert.match(product.data.id, /^[0-9a-f]{32}$/);
    assert.deepEqual(
      { ...product.data, id: 'p', version: { ...product.data.version, id: 'v', product_id: 'p' } },
      {
        id: 'p',
        park_id: 'EAST01',
        name: '包月',
        unit_type: '4',
        unit_count: 1,
        rent_type: '1',
        card_type: '3',
        audit_before_pay: true,
        version: { id: 'v', product_id: 'p', inside_price: '100.00', outside_price: '200.50' },
      },
    );
    t.clock.advance(1000);
    const version = body(
      await api('POST', `products/${product.data.id}/versions`, {
        inside_price: '120',
        outside_price: '240',
      }),
    );
    assert.deepEqual(
      { ...version.data, id: 'v' },
      {
        id: 'v',
        product_id: product.data.id,
        inside_price: '120.00',
        outside_price: '240.00',
      },
    );
    assert.equal(
      body(
        await api('POST', `products/${'0'.repeat(32)}/versions`, { inside_price: '1', outside_price: '1' }),
      ).msg,
      '产品不存在',
    );

    // The park as the back office reads it back: the tree, the extras, the product at its newest prices.
    const configured = body(await api('GET', 'parks/EAST01'));
    assert.equal(configured.code, 1, JSON.stringify(configured));
    assert.deepEqual(
      {
        ...configured.data,
        products: configured.data.products.map((p: { version: Record<string, unknown> }) => ({
          ...p,
          id: 'p',
          version: { ...p.version, id: 'v' },
        })),
      },
      {
        id: 'EAST01',
        name: '东区停车场',
        created_at: '2024-06-01 10:00:00',
        orgs: [
          {
            name: '理学院',
            org_code: '201',
            is_used: 0,
            children: [{ name: '数学系', org_code: '201001', is_used: 0 }],
          },
          { name: '后勤', org_code: '202', is_used: 0, children: [] },
        ],
        extras: [
          { name: '驾驶证', code: '0', type: '1', required: 1 },
          { name: '备注', code: '9', type: '0', required: 0 },
        ],
        products: [
          {
            id: 'p',
            name: '包月',
            unit_type: '4',
            unit_count: 1,
            rent_type: '1',
            card_type: '3',
            audit_before_pay: 1,
            active: 1,
            version: {
              id: 'v',
              inside_price: '120.00',
              outside_price: '240.00',
              created_at: '2024-06-01 10:00:01',
            },
          },
        ],
      },
    );
    assert.equal(body(await api('GET', 'parks/NOPE')).msg, '停车场不存在');

    // The driver's page: the tree, the extras, and a first card on the current version.
    const me = await signIn(t.app, 'sandbox-east-driver-1');
    const orgTree = body(await post(t.app, 'park/organizations', { pmParkId: 'EAST01', orgCode: '201' }, me));
    assert.deepEqual(
      orgTree.resultData.map((o: Record<string, string>) => o.name),
      ['数学系'],
    );
    await post(t.app, 'sms/send-code', { phone: '13600006666' }, me);
    const found = body(
      await post(
        t.app,
        'user/find-by-car-num',
        {
          carNum: '苏E12345',
          name: '赵六',
          pmParkId: 'EAST01',
          phone: '13600006666',
          phoneCode: codeSentTo(sms, '13600006666'),
        },
        me,
      ),
    );
    const card = found.resultData.cardList[0];
    assert.equal(card.productId, product.data.id);
    assert.equal(card.productVId, version.data.id);
    assert.equal(card.amount, '120.00');
    assert.equal(card.createDt, String(TEST_NOW + 1000));
  });

  /** A new park with one monthly product at 10 / 20 yuan: the product's answer. */
  const parkWithProduct = async (id: string, name: string) => {
    await api('POST', 'parks', { id, name });
    return body(
      await api('POST', 'products', {
        park_id: id,
        name: '包月',
        unit_type: '4',
        audit_before_pay: false,
        inside_price: '10',
        outside_price: '20',
      }),
    );
  };

  it('takes the last of several prices set in one millisecond as the current one', async () => {
    const product = await parkWithProduct('WEST01', '西区停车场');
    for (const price of ['11', '12', '13', '14']) {
      const set = await api('POST', `products/${product.data.id}/versions`, {
        inside_price: price,
        outside_price: '20',
      });
      assert.equal(body(set).code, 1, set.body);
    }
    const configured = body(await api('GET', 'parks/WEST01')).data;
    assert.equal(configured.products[0].version.inside_price, '14.00');
  });

  it('prices set at once by several clerks, in one millisecond, each get their own instant; the newest is current', async () => {
    const product = await parkWithProduct('NORTH01', '北区停车场');
    // On PostgreSQL these run in transactions of their own at the same time (the pool has 4
    // connections): without the product's row held, two would read the same newest version.
    const prices = ['21', '22', '23', '24', '25', '26', '27', '28'];
    const answers = await Promise.all(
      prices.map((price) =>
        api('POST', `products/${product.data.id}/versions`, { inside_price: price, outside_price: '30' }),
      ),
    );
    for (const answer of answers) assert.equal(body(answer).code, 1, answer.body);
    const versions = await t.db.kysely
      .selectFrom('parking_product_versions')
      .select(['inside_price_fen', 'created_at'])
      .where('product_id', '=', product.data.id)
      .orderBy('created_at')
      .execute();
    const instants = versions.map((v) => Number(v.created_at));
    assert.equal(versions.length, prices.length + 1);
    assert.equal(new Set(instants).size, instants.length, `instants repeat: ${instants.join(', ')}`);
    // The product's first price at the clock's instant, each later one a millisecond after the last.
    assert.deepEqual(
      instants,
      instants.map((_, i) => t.clock.now() + i),
    );
    const newest = versions.at(-1)!;
    const configured = body(await api('GET', 'parks/NORTH01')).data;
    assert.equal(configured.products[0].version.inside_price, `${Number(newest.inside_price_fen) / 100}.00`);
  });
});
