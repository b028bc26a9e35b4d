import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadOwnLease, readId } from '../../../src/modules/leases/lease-access.js';
import { onlyValidationError, rejectedDomainError } from '../../helpers/domain-errors.js';
import { openMigratedTestDatabase } from '../../helpers/test-database.js';

/** The migrated test database, typed as the helper opens it. */
type TestDb = Awaited<ReturnType<typeof openMigratedTestDatabase>>['db'];

describe('readId', () => {
  it('takes a positive integer id, from a form string or a JSON number', () => {
    assert.equal(readId({ id: '1' }), 1);
    assert.equal(readId({ id: 42 }), 42);
    assert.deepEqual(
      onlyValidationError(() => readId({ id: '0' })),
      { field: 'id', error: 'id不能小于1' },
    );
    assert.deepEqual(
      onlyValidationError(() => readId({ id: '1.5' })),
      { field: 'id', error: 'id必须是整数' },
    );
    assert.deepEqual(
      onlyValidationError(() => readId({})),
      { field: 'id', error: 'id不能为空' },
    );
    assert.deepEqual(
      onlyValidationError(() => readId({ id: ['1'] })),
      { field: 'id', error: 'id格式不正确' },
    );
  });
});

describe('loadOwnLease', () => {
  let db: TestDb;
  let close: () => Promise<void>;
  before(async () => {
    ({ db, close } = await openMigratedTestDatabase());
  });
  after(() => close());

  it('answers a lease that does not exist as 订单不存在', async () => {
    const error = await rejectedDomainError(() => loadOwnLease(db.kysely, { id: 1 }, 999));
    assert.deepEqual([error.code, error.message], ['not_found', '订单不存在']);
  });
});
