import type { Kysely } from 'kysely';
import type { Dialect } from '../../../database.js';
import { notNull, withIdColumn } from '../../../platform/db/column-types.js';

/** Step 0002-loan-orders, all the loan-orders module's: agents, orders, their sheets, counts and pictures. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await withIdColumn(db.schema.createTable('agents'), dialect, 'u_id')
    .addColumn('realname', 'text', notNull)
    .addColumn('mobile_enc', 'text', notNull)
    .addColumn('mobile_hash', 'text', notNull)
    .addColumn('mobile_masked', 'text', notNull)
    .addColumn('created_at', 'bigint', notNull)
    .execute();
  await db.schema.createIndex('agents_realname').on('agents').column('realname').execute();
  await db.schema.createIndex('agents_mobile_hash').on('agents').column('mobile_hash').execute();

  await withIdColumn(db.schema.createTable('loan_orders'), dialect, 'id')
    .addColumn('son_order_id', 'text', (c) => c.notNull().unique())
    .addColumn('order_type', 'integer', notNull)
    .addColumn('city', 'text', notNull)
    .addColumn('stage', 'text', notNull)
    .addColumn('state', 'text', notNull)
    // The desk is the workbench list an order shows on: its stage, or while 驳回 the stage that
    // returned it. Kept as a column so every list filter is one index range.
    .addColumn('desk', 'text')
    .addColumn('is_bohui', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bohui_stage', 'text')
    .addColumn('agent_id', 'bigint', (c) => c.references('agents.u_id'))
    .addColumn('customer_name', 'text')
    .addColumn('appointment_time', 'bigint')
    .addColumn('face_trial_time', 'bigint')
    .addColumn('mianqian_opt_time', 'bigint')
    .addColumn('loan_money', 'bigint')
    .addColumn('loan_limit', 'integer')
    .addColumn('production_no', 'integer')
    .addColumn('yueding_lilv', 'integer')
    .addColumn('service_fee', 'integer')
    .addColumn('house_cert_no', 'text')
    .addColumn('house_city', 'text')
    .addColumn('house_address', 'text')
    .addColumn('house_type', 'integer')
    .addColumn('guihuayongtu', 'integer')
    .addColumn('house_size', 'integer')
    .addColumn('built_in', 'integer')
    .addColumn('mortgage_type', 'integer')
    .addColumn('before_one_arrived', 'bigint')
    .addColumn('before_two_arrived', 'bigint')
    .addColumn('pg_money_shilian', 'bigint')
    .addColumn('pg_money_renda', 'bigint')
    // Orders the loan marketplace brought: its ua and its own order id, for the callbacks.
    .addColumn('partner_ua', 'text')
    .addColumn('partner_order_id', 'text')
    // Set when an order is stopped for cause: a bad record the marketplace check reports (402).
    .addColumn('bad_record', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('updated_at', 'bigint', notNull)
    .execute();
  const listIndexes: Array<[string, string[]]> = [
    ['loan_orders_desk', ['desk', 'id']],
    ['loan_orders_desk_city', ['desk', 'city', 'id']],
    ['loan_orders_desk_bohui', ['desk', 'is_bohui', 'id']],
    // is_bohui rides along so a filtered count (total and 驳回) reads the index alone.
    ['loan_orders_desk_customer', ['desk', 'customer_name', 'is_bohui']],
    ['loan_orders_desk_agent', ['desk', 'agent_id', 'is_bohui']],
    ['loan_orders_desk_appointment', ['desk', 'appointment_time', 'is_bohui']],
    ['loan_orders_desk_mianqian', ['desk', 'mianqian_opt_time', 'is_bohui']],
    ['loan_orders_stage', ['stage', 'state', 'id']],
  ];
  for (const [name, columns] of listIndexes) {
    await db.schema.createIndex(name).on('loan_orders').columns(columns).execute();
  }

  // Exact list counts without scanning: one row per (desk, city, 驳回) kept in step with every
  // change in the same transaction.
  await db.schema
    .createTable('loan_order_desk_counts')
    .addColumn('desk', 'text', notNull)
    .addColumn('city', 'text', notNull)
    .addColumn('is_bohui', 'integer', notNull)
    .addColumn('n', 'bigint', notNull)
    .addPrimaryKeyConstraint('loan_order_desk_counts_pk', ['desk', 'city', 'is_bohui'])
    .execute();

  await db.schema
    .createTable('son_order_id_sequences')
    .addColumn('minute', 'text', (c) => c.primaryKey())
    .addColumn('last', 'integer', notNull)
    .execute();

  await db.schema
    .createTable('loan_order_people')
    .addColumn('order_id', 'bigint', (c) => c.notNull().references('loan_orders.id').onDelete('cascade'))
    .addColumn('role', 'text', notNull)
    .addColumn('name', 'text', notNull)
    .addColumn('mobile_enc', 'text', notNull)
    .addColumn('mobile_hash', 'text', notNull)
    .addColumn('mobile_masked', 'text', notNull)
    .addColumn('id_card_enc', 'text', notNull)
    .addColumn('id_card_hash', 'text', notNull)
    // Keyed hash of md5(mobile + ID number): how the marketplace names a person it masks.
    .addColumn('md5_hash', 'text', notNull)
    .addColumn('domicile', 'text')
    .addColumn('unit', 'text')
    .addColumn('is_execute', 'integer')
    .addColumn('unit_is_execute', 'integer')
    .addPrimaryKeyConstraint('loan_order_people_pk', ['order_id', 'role'])
    .execute();
  await db.schema
    .createIndex('loan_order_people_id_card')
    .on('loan_order_people')
    .column('id_card_hash')
    .execute();
  await db.schema
    .createIndex('loan_order_people_mobile')
    .on('loan_order_people')
    .column('mobile_hash')
    .execute();
  await db.schema.createIndex('loan_order_people_md5').on('loan_order_people').column('md5_hash').execute();

  await db.schema
    .createTable('loan_order_customers')
    .addColumn('order_id', 'bigint', (c) => c.primaryKey().references('loan_orders.id').onDelete('cascade'))
    .addColumn('marital_tatus', 'integer', notNull)
    .addColumn('marry_date', 'text')
    .addColumn('lihun_date', 'text')
    .addColumn('month_income', 'bigint')
    .addColumn('address', 'text')
    .addColumn('second_address', 'text')
    .addColumn('emergency_contact', 'text')
    .addColumn('emergency_mobile_enc', 'text')
    .addColumn('emergency_relationship', 'text')
    .addColumn('property2_owner', 'text')
    .addColumn('common_proportion', 'text')
    .addColumn('gongjie_status', 'integer', notNull)
    .addColumn('updated_at', 'bigint', notNull)
    .execute();

  await withIdColumn(db.schema.createTable('loan_order_suggestions'), dialect, 'id')
    .addColumn('order_id', 'bigint', (c) => c.notNull().references('loan_orders.id').onDelete('cascade'))
    .addColumn('suggest_type', 'integer', notNull)
    .addColumn('content', 'text', notNull)
    .addColumn('staff_id', 'bigint')
    .addColumn('created_at', 'bigint', notNull)
    .execute();
  await db.schema
    .createIndex('loan_order_suggestions_order')
    .on('loan_order_suggestions')
    .columns(['order_id', 'id'])
    .execute();

  await db.schema
    .createTable('picture_categories')
    .addColumn('hpc_id', 'integer', (c) => c.primaryKey())
    .addColumn('parent_id', 'integer')
    .addColumn('hpc_name', 'text', notNull)
    .addColumn('sort', 'integer', notNull)
    .execute();
  // Reference data the picture rows point at; part of the schema, so it arrives with it.
  await (
    db as Kysely<{
      picture_categories: { hpc_id: number; parent_id: number | null; hpc_name: string; sort: number };
    }>
  )
    .insertInto('picture_categories')
    .values(
      PICTURE_CATEGORIES.map(([hpc_id, parent_id, hpc_name], sort) => ({
        hpc_id,
        parent_id,
        hpc_name,
        sort,
      })),
    )
    .execute();

  await withIdColumn(db.schema.createTable('loan_order_pictures'), dialect, 'id')
    .addColumn('order_id', 'bigint', (c) => c.notNull().references('loan_orders.id').onDelete('cascade'))
    .addColumn('hpc_id', 'integer', (c) => c.notNull().references('picture_categories.hpc_id'))
    .addColumn('file_name', 'text', notNull)
    .addColumn('created_at', 'bigint', notNull)
    .execute();
  await db.schema
    .createIndex('loan_order_pictures_order')
    .on('loan_order_pictures')
    .columns(['order_id', 'hpc_id'])
    .execute();
}

const PICTURE_CATEGORIES: ReadonlyArray<[number, number | null, string]> = [
  [1, null, '身份资料'],
  [11, 1, '身份证'],
  [12, 1, '户口本'],
  [13, 1, '婚姻证明'],
  [2, null, '房产资料'],
  [21, 2, '房产证'],
  [22, 2, '购房合同'],
  [23, 2, '评估报告'],
  [3, null, '收入资料'],
  [31, 3, '银行流水'],
  [32, 3, '收入证明'],
  [4, null, '面签资料'],
  [41, 4, '面签照片'],
  [42, 4, '签约视频截图'],
];
