import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CONFLICT_MESSAGE,
  loadOrder,
  loadOrderAt,
  orderNotFound,
  readSonOrderId,
  requireStageRole,
} from '../../../src/modules/loan-orders/loan-order-access.js';
import { onlyValidationError, rejectedDomainError, thrownDomainError } from '../../helpers/domain-errors.js';
import { openMigratedTestDatabase } from '../../helpers/test-database.js';

/** The migrated test database, typed as the helper opens it. */
type TestDb = Awaited<ReturnType<typeof openMigratedTestDatabase>>['db'];

const NOW = Date.parse('2024-06-01T10:00:00+08:00');

describe('requireStageRole', () => {
  it('lets a holder of the stage role act and refuses anyone else, admin included, naming the role', () => {
    assert.equal(requireStageRole({ id: 1, roles: ['mianqian'] }, 'mianqian'), undefined);
    assert.equal(requireStageRole({ id: 1, roles: ['kefu', 'zhongshen'] }, 'zhongshen'), undefined);
    const error = thrownDomainError(() => requireStageRole({ id: 2, roles: ['admin', 'kefu'] }, 'mianqian'));
    assert.equal(error.code, 'forbidden');
    assert.equal(error.message, '需要面签权限');
    assert.equal(
      thrownDomainError(() => requireStageRole({ id: 3, roles: [] }, 'shencha')).message,
      '需要审查权限',
    );
  });
});

describe('readSonOrderId', () => {
  it('takes exactly 13 digits', () => {
    assert.equal(readSonOrderId({ son_order_id: '2406011000001' }), '2406011000001');
    assert.equal(readSonOrderId({ son_order_id: ' 2406011000001 ' }), '2406011000001');
    assert.equal(readSonOrderId({ son_order_id: 2406011000001 }), '2406011000001');
    for (const bad of ['240601100000', '24060110000012', '240601100000a']) {
      assert.deepEqual(
        onlyValidationError(() => readSonOrderId({ son_order_id: bad })),
        {
          field: 'son_order_id',
          error: '订单编号格式不正确',
        },
      );
    }
    assert.deepEqual(
      onlyValidationError(() => readSonOrderId({})),
      {
        field: 'son_order_id',
        error: '订单编号不能为空',
      },
    );
    assert.deepEqual(
      onlyValidationError(() => readSonOrderId({ son_order_id: '1'.repeat(21) })),
      {
        field: 'son_order_id',
        error: '订单编号不能超过20个字符',
      },
    );
  });

  it('has the not-found and conflict answers the routes repeat', () => {
    const error = orderNotFound();
    assert.equal(error.code, 'not_found');
    assert.equal(error.message, '订单不存在');
    assert.deepEqual(error.fields, [{ field: 'son_order_id', error: '订单不存在' }]);
    assert.equal(CONFLICT_MESSAGE, '订单已被他人修改，请刷新后重试');
  });
});

describe('loadOrderAt', () => {
  let db: TestDb;
  let close: () => Promise<void>;
  before(async () => {
    ({ db, close } = await openMigratedTestDatabase());
    const order = (
      son_order_id: string,
      stage: 'mianqian' | 'kefu',
      state: 'open' | 'stopped' | 'approved',
    ) => ({
      son_order_id,
      order_type: 1,
      city: '北京市',
      stage,
      state,
      desk: state === 'open' ? stage : null,
      bohui_stage: null,
      agent_id: null,
      created_at: NOW,
      updated_at: NOW,
    });
    await db.kysely
      .insertInto('loan_orders')
      .values([
        order('2406011000001', 'mianqian', 'open'),
        order('2406011000002', 'mianqian', 'stopped'),
        order('2406011000003', 'mianqian', 'approved'),
        order('2406011000004', 'kefu', 'open'),
      ])
      .execute();
  });
  after(() => close());

  it('answers the order open at the stage asked', async () => {
    const order = await loadOrderAt(db.kysely, '2406011000001', 'mianqian');
    assert.deepEqual([order.son_order_id, order.stage, order.state], ['2406011000001', 'mianqian', 'open']);
  });

  it('refuses an unknown number as not found, and a stopped, approved or elsewhere order with the reason', async () => {
    const missing = await rejectedDomainError(() => loadOrder(db.kysely, '2406011000009'));
    assert.deepEqual([missing.code, missing.message], ['not_found', '订单不存在']);
    const cases: Array<[string, string]> = [
      ['2406011000002', '订单已终止，不能再操作'],
      ['2406011000003', '订单已审批完成，不能再操作'],
      ['2406011000004', '订单当前在客服阶段，不在面签阶段，不能操作'],
    ];
    for (const [id, message] of cases) {
      const error = await rejectedDomainError(() => loadOrderAt(db.kysely, id, 'mianqian'));
      assert.deepEqual([error.code, error.message], ['illegal_transition', message], id);
    }
  });
});
