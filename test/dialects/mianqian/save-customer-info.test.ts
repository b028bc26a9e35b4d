import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { bearer, body, startTestApp, type TestApp } from '../../helpers/test-app.js';
import { testDialect } from '../../helpers/test-database.js';
import { CUSTOMER_FORM, form, itRefusesEach, orderAtMianqian, type RefusalCase } from './fixtures.js';

describe('POST /order_mianqian/save_customer_info and get_customer_info_by_id_card', () => {
  let t: TestApp;
  let token: string;
  let id: string;
  before(async () => {
    t = await startTestApp();
    token = await t.tokenFor('mianqian');
    id = await orderAtMianqian(t);
  });
  after(() => t.close());

  const save = (fields: Record<string, string>, sonOrderId = id) =>
    t.app.inject({
      method: 'POST',
      url: '/order_mianqian/save_customer_info',
      headers: bearer(token),
      payload: form(fields, sonOrderId),
    });

  it('saves borrower and spouse; order_detail shows them with age and sex derived from the ID', async () => {
    assert.deepEqual(body(await save(CUSTOMER_FORM)), { code: 1, msg: '保存成功', data: null });
    const info = body(
      await t.app.inject({ url: `/order_mianqian/order_detail?son_order_id=${id}`, headers: bearer(token) }),
    ).data.customer_info;
    assert.deepEqual(
      {
        name: info.name,
        mobile: info.mobile,
        id_card: info.id_card,
        age: info.age,
        sex: info.sex,
        month_income: info.month_income,
        marital_tatus: info.marital_tatus,
        marry_date: info.marry_date,
        lihun_date: info.lihun_date,
        link_name: info.link_name,
        link_id_card: info.link_id_card,
        link_age: info.link_age,
        link_sex: info.link_sex,
        link2_name: info.link2_name,
        gongjie_status: info.gongjie_status,
        emergency_mobile: info.emergency_mobile,
      },
      {
        name: '王小二',
        mobile: '13812345678',
        id_card: '11010519491231002X',
        age: 74,
        sex: 2,
        month_income: 25000.5,
        marital_tatus: 1,
        marry_date: '1975-05-01',
        lihun_date: null,
        link_name: '李四',
        link_id_card: '440524188001010014',
        link_age: 144,
        link_sex: 1,
        link2_name: null,
        gongjie_status: 0,
        emergency_mobile: '13698765432',
      },
    );
  });

  it('finds the customer again by ID number, accepting a lowercase x', async () => {
    const res = body(
      await t.app.inject({
        url: '/order_mianqian/get_customer_info_by_id_card?id_card=11010519491231002x',
        headers: bearer(token),
      }),
    );
    assert.equal(res.code, 1);
    assert.equal(res.data.name, '王小二');
    assert.equal(res.data.mobile, '13812345678');
    assert.equal(res.data.link_name, '李四');
    const post = body(
      await t.app.inject({
        method: 'POST',
        url: '/order_mianqian/get_customer_info_by_id_card',
        headers: bearer(token),
        payload: { id_card: '11010519491231002X' },
      }),
    );
    assert.equal(post.data.name, '王小二');
  });

  it('answers a valid but unknown ID number, and a bad one, in the envelope', async () => {
    const unknown = body(
      await t.app.inject({
        url: '/order_mianqian/get_customer_info_by_id_card?id_card=440524188001010014',
        headers: bearer(token),
      }),
    );
    assert.deepEqual(unknown, {
      code: 0,
      errors: [{ field: 'id_card', error: '未找到该身份证号的客户' }],
      msg: '未找到该身份证号的客户',
    });
    const bad = body(
      await t.app.inject({
        url: '/order_mianqian/get_customer_info_by_id_card?id_card=110105194912310021',
        headers: bearer(token),
      }),
    );
    assert.deepEqual(bad.errors, [{ field: 'id_card', error: '身份证号校验位不正确' }]);
  });

  it('keeps ID numbers and mobiles encrypted: the plaintext is nowhere in the database', async () => {
    const people = await t.db.kysely.selectFrom('loan_order_people').selectAll().execute();
    for (const p of people) {
      assert.ok(!p.id_card_enc.includes('11010519491231002X'));
      assert.ok(p.id_card_enc.startsWith('v1.'));
    }
    if (testDialect() === 'sqlite') {
      await t.db.kysely.selectFrom('staff').select('id').execute();
      const url = t.app.ctx.config.databaseUrl.slice('sqlite:'.length);
      const files = [url, `${url}-wal`]
        .map((f) => {
          try {
            return readFileSync(f).toString('latin1');
          } catch {
            return '';
          }
        })
        .join('');
      assert.ok(files.length > 0);
      for (const secret of ['11010519491231002X', '440524188001010014', '13812345678']) {
        assert.ok(!files.includes(secret), `${secret} found in the database file`);
      }
    }
  });

  const cases: RefusalCase[] = [
    [
      'an ID with a wrong check digit',
      { id_card: '110105194912310021' },
      [['id_card', '身份证号校验位不正确']],
    ],
    [
      'an ID with an impossible birth date',
      { id_card: '110105194902300012' },
      [['id_card', '身份证号出生日期不正确']],
    ],
    ['an age that disagrees with the ID', { age: '30' }, [['age', '年龄与身份证号不符']]],
    ['a sex that disagrees with the ID', { sex: '男' }, [['sex', '性别与身份证号不符']]],
    ['a mobile that is not mainland', { mobile: '12345678901' }, [['mobile', '手机号不是有效的手机号码']]],
    ['a married customer without a marriage date', { marry_date: '' }, [['marry_date', '结婚日期不能为空']]],
    ['a marriage date in the future', { marry_date: '2030-01-01' }, [['marry_date', '结婚日期不能晚于今天']]],
    [
      'a divorced customer without a divorce date',
      { marital_tatus: '2' },
      [['lihun_date', '离婚日期不能为空']],
    ],
    [
      'a divorce before the marriage',
      { marital_tatus: '2', lihun_date: '1970-01-01' },
      [['lihun_date', '离婚日期不能早于结婚日期']],
    ],
    [
      'a married customer without spouse details',
      { link_name: '', link_mobile: '', link_id_card: '', link_is_execute: '', link_unit_is_execute: '' },
      [
        ['link_name', '配偶姓名不能为空'],
        ['link_mobile', '配偶手机号不能为空'],
        ['link_id_card', '配偶身份证号码不能为空'],
        ['link_is_execute', '配偶是否被执行不能为空'],
        ['link_unit_is_execute', '配偶单位是否被执行不能为空'],
      ],
    ],
    [
      "a spouse with the borrower's own ID",
      { link_id_card: '11010519491231002X' },
      [['link_id_card', '配偶身份证号码不能与身份证号相同']],
    ],
    [
      'a co-borrower declared but not given',
      { gongjie_status: '1' },
      [
        ['link2_name', '共借人姓名不能为空'],
        ['link2_mobile', '共借人手机号不能为空'],
        ['link2_id_card', '共借人身份证号不能为空'],
        ['link2_is_execute', '共借人是否被执行不能为空'],
        ['link2_unit_is_execute', '共借人单位是否被执行不能为空'],
      ],
    ],
    [
      'is_execute other than 1 or 2',
      { is_execute: '0', unit_is_execute: '3' },
      [
        ['is_execute', '是否被执行不在可选范围内'],
        ['unit_is_execute', '单位是否被执行不在可选范围内'],
      ],
    ],
    ['a marital status outside 0–3', { marital_tatus: '4' }, [['marital_tatus', '婚姻状况不在可选范围内']]],
    ['an income with three decimals', { month_income: '1.234' }, [['month_income', '月收入最多保留2位小数']]],
    [
      'a bad emergency mobile',
      { emergency_mobile: '1381234567' },
      [['emergency_mobile', '紧急联系人手机号不是有效的手机号码']],
    ],
  ];
  const people = () =>
    t.db.kysely.selectFrom('loan_order_people').selectAll().orderBy('order_id').orderBy('role').execute();
  itRefusesEach(cases, (change) => save({ ...CUSTOMER_FORM, ...change }), people);

  it('saves a co-borrower, then drops the spouse when the borrower is no longer married', async () => {
    const withCoborrower = {
      ...CUSTOMER_FORM,
      gongjie_status: '1',
      link2_name: '张共借',
      link2_mobile: '+8613711112222',
      link2_id_card: '110105197806120031',
      link2_is_execute: '2',
      link2_unit_is_execute: '1',
    };
    assert.equal(body(await save(withCoborrower)).code, 1);
    assert.deepEqual(await rolesOfOrder(), ['coborrower', 'customer', 'spouse']);
    const info = body(
      await t.app.inject({ url: `/order_mianqian/order_detail?son_order_id=${id}`, headers: bearer(token) }),
    ).data.customer_info;
    assert.equal(info.link2_mobile, '13711112222', 'the +86 prefix is stripped');
    assert.equal(body(await save({ ...withCoborrower, marital_tatus: '0', marry_date: '' })).code, 1);
    assert.deepEqual(await rolesOfOrder(), ['coborrower', 'customer']);
    assert.equal(body(await save(withCoborrower)).code, 1);
    assert.deepEqual(await rolesOfOrder(), ['coborrower', 'customer', 'spouse']);
    // Both go in one save.
    assert.equal(body(await save({ ...CUSTOMER_FORM, marital_tatus: '0', marry_date: '' })).code, 1);
    assert.deepEqual(await rolesOfOrder(), ['customer']);
  });

  it('a re-save of the same people keeps their sealed numbers; a new mobile is sealed anew', async () => {
    assert.equal(body(await save(CUSTOMER_FORM)).code, 1);
    const before = await borrowerRow();
    assert.equal(
      body(await save({ ...CUSTOMER_FORM, name: '王小三', unit: '另一家公司', is_execute: '1' })).code,
      1,
    );
    const renamed = await borrowerRow();
    assert.deepEqual(
      { name: renamed.name, unit: renamed.unit, is_execute: renamed.is_execute },
      { name: '王小三', unit: '另一家公司', is_execute: 1 },
    );
    // Encryption is randomised, so an unchanged ciphertext means the number was not written again.
    assert.equal(renamed.mobile_enc, before.mobile_enc);
    assert.equal(renamed.id_card_enc, before.id_card_enc);
    const listed = body(
      await t.app.inject({
        url: `/order_mianshen/ajax_get_list?customer_name=${encodeURIComponent('王小三')}`,
        headers: bearer(token),
      }),
    ).order_list;
    assert.deepEqual(
      listed.map((o: { son_order_id: string }) => o.son_order_id),
      [id],
      'the list finds the order by its borrower’s new name',
    );

    assert.equal(body(await save({ ...CUSTOMER_FORM, mobile: '13700001111' })).code, 1);
    const moved = await borrowerRow();
    assert.notEqual(moved.mobile_enc, before.mobile_enc);
    assert.notEqual(moved.mobile_hash, before.mobile_hash);
    assert.notEqual(moved.md5_hash, before.md5_hash);
    assert.equal(moved.id_card_hash, before.id_card_hash);
    const info = body(
      await t.app.inject({ url: `/order_mianqian/order_detail?son_order_id=${id}`, headers: bearer(token) }),
    ).data.customer_info;
    assert.deepEqual([info.name, info.mobile, info.id_card], ['王小二', '13700001111', '11010519491231002X']);
  });

  it('a new ID number alone is sealed anew; the spouse, saved again unchanged, keeps hers', async () => {
    assert.equal(body(await save(CUSTOMER_FORM)).code, 1);
    const [borrower, spouse] = [await borrowerRow(), await borrowerRow('spouse')];
    const newId = {
      ...CUSTOMER_FORM,
      id_card: '110105197806120031',
      age: '',
      sex: '',
      marry_date: '2005-05-01',
    };
    assert.equal(body(await save(newId)).code, 1);
    const [reborrower, respouse] = [await borrowerRow(), await borrowerRow('spouse')];
    assert.notEqual(reborrower.id_card_hash, borrower.id_card_hash);
    assert.notEqual(reborrower.id_card_enc, borrower.id_card_enc);
    assert.notEqual(reborrower.md5_hash, borrower.md5_hash);
    assert.equal(reborrower.mobile_hash, borrower.mobile_hash);
    assert.deepEqual(respouse, spouse);
    const found = body(
      await t.app.inject({
        url: '/order_mianqian/get_customer_info_by_id_card?id_card=110105197806120031',
        headers: bearer(token),
      }),
    );
    assert.equal(found.data.name, '王小二', 'the new number is what the order is found by');
  });

  async function borrowerRow(role = 'customer') {
    return t.db.kysely
      .selectFrom('loan_order_people')
      .innerJoin('loan_orders', 'loan_orders.id', 'loan_order_people.order_id')
      .selectAll('loan_order_people')
      .where('son_order_id', '=', id)
      .where('role', '=', role as 'customer')
      .executeTakeFirstOrThrow();
  }

  async function rolesOfOrder() {
    const rows = await t.db.kysely
      .selectFrom('loan_order_people')
      .innerJoin('loan_orders', 'loan_orders.id', 'loan_order_people.order_id')
      .select('role')
      .where('son_order_id', '=', id)
      .orderBy('role')
      .execute();
    return rows.map((r) => r.role);
  }
});
