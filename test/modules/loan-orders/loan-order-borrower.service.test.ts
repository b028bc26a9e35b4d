import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  borrowerByIdCardHash,
  borrowersByMatchHash,
  ordersOfBorrower,
  personMatchHash,
  platformMd5,
  sealPerson,
} from '../../../src/modules/loan-orders/index.js';
import { createPii } from '../../../src/platform/pii.js';
import { openMigratedTestDatabase } from '../../helpers/test-database.js';

type TestDb = Awaited<ReturnType<typeof openMigratedTestDatabase>>['db'];

const pii = createPii(Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex'));
const MOBILE = '13700001234';
const ID_CARD = '110105199001011237';
const CREATED = Date.parse('2024-05-01T10:00:00+08:00');

describe('loan-order borrower views', () => {
  let db: TestDb;
  let close: () => Promise<void>;
  const deps = () => ({ db: db.kysely, pii });
  const idCardHash = () => sealPerson(pii, MOBILE, ID_CARD).id_card_hash;

  before(async () => {
    ({ db, close } = await openMigratedTestDatabase());
    const inserted = await db.kysely
      .insertInto('loan_orders')
      .values({
        son_order_id: '2405010000001',
        order_type: 1,
        city: '北京市',
        stage: 'mianqian',
        state: 'open',
        desk: 'mianqian',
        bohui_stage: null,
        agent_id: null,
        loan_limit: 6,
        bad_record: 0,
        created_at: CREATED,
        updated_at: CREATED,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.kysely
      .insertInto('loan_order_people')
      .values({
        order_id: Number(inserted.id),
        role: 'customer',
        name: '张三',
        ...sealPerson(pii, MOBILE, ID_CARD),
        domicile: null,
        unit: null,
        is_execute: 2,
        unit_is_execute: 2,
      })
      .execute();
  });
  after(() => close());

  it('finds the borrower the marketplace names by its md5, decrypted and without stored columns', async () => {
    const matchHash = personMatchHash(pii, platformMd5(MOBILE, ID_CARD).toUpperCase());
    assert.deepEqual(await borrowersByMatchHash(deps(), matchHash), [
      { name: '张三', mobile: MOBILE, idCard: ID_CARD, idCardHash: idCardHash() },
    ]);
    assert.deepEqual(await borrowersByMatchHash(deps(), personMatchHash(pii, platformMd5(MOBILE, '0'))), []);
  });

  it('finds the borrower by their ID number hash with the decrypted mobile', async () => {
    assert.deepEqual(await borrowerByIdCardHash(deps(), idCardHash()), {
      name: '张三',
      mobile: MOBILE,
      idCardHash: idCardHash(),
    });
    assert.equal(await borrowerByIdCardHash(deps(), 'nobody'), undefined);
  });

  it("lists the borrower's orders", async () => {
    const orders = await ordersOfBorrower(deps(), idCardHash());
    assert.equal(orders.length, 1);
    assert.equal(orders[0]!.state, 'open');
    assert.equal(Number(orders[0]!.loan_limit), 6);
    assert.equal(Number(orders[0]!.created_at), CREATED);
  });
});
