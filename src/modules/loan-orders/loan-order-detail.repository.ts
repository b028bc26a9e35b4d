import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { preparedQuery } from '../../database.js';
import { jsonNesting, unnest } from '../../platform/db/json-nesting.js';

type Db = Kysely<Database>;

const SHEET_ORDER_COLUMNS = [
  'id',
  'son_order_id',
  'stage',
  'state',
  'is_bohui',
  'bohui_stage',
  'order_type',
  'city',
  'agent_id',
  'customer_name',
  'appointment_time',
  'mianqian_opt_time',
  'loan_money',
  'loan_limit',
  'production_no',
  'yueding_lilv',
  'service_fee',
  'house_cert_no',
  'house_city',
  'house_address',
  'house_type',
  'guihuayongtu',
  'house_size',
  'built_in',
  'mortgage_type',
  'before_one_arrived',
  'before_two_arrived',
  'pg_money_shilian',
  'pg_money_renda',
] as const;

/**
 * Everything the detail page shows of one order as one row: the order's columns, its agent and
 * customer details as nested objects, its people (borrower, spouse, co-borrower) as a nested list.
 * One statement, so one snapshot and one round trip; separate lookups in a transaction cost the
 * detail page a third more.
 */
function selectSheet(db: Db) {
  const { jsonArrayFrom, jsonObjectFrom } = jsonNesting(db);
  return db
    .selectFrom('loan_orders as o')
    .select(SHEET_ORDER_COLUMNS)
    .select((eb) => [
      jsonObjectFrom(
        eb
          .selectFrom('agents')
          .select(['u_id', 'realname', 'mobile_enc'])
          .whereRef('agents.u_id', '=', 'o.agent_id'),
      ).as('agent'),
      jsonObjectFrom(
        eb
          .selectFrom('loan_order_customers')
          .select([
            'marital_tatus',
            'marry_date',
            'lihun_date',
            'month_income',
            'address',
            'second_address',
            'emergency_contact',
            'emergency_mobile_enc',
            'emergency_relationship',
            'property2_owner',
            'common_proportion',
            'gongjie_status',
          ])
          .whereRef('loan_order_customers.order_id', '=', 'o.id'),
      ).as('customer'),
      jsonArrayFrom(
        eb
          .selectFrom('loan_order_people')
          .select([
            'role',
            'name',
            'mobile_enc',
            'id_card_enc',
            'domicile',
            'unit',
            'is_execute',
            'unit_is_execute',
          ])
          .whereRef('loan_order_people.order_id', '=', 'o.id'),
      ).as('people'),
    ]);
}

const sheetById = preparedQuery(1, (db, id: number) => selectSheet(db).where('o.id', '=', id));

const detailBySonOrderId = preparedQuery(1, (db, sonOrderId: string) => {
  const { jsonArrayFrom } = jsonNesting(db);
  return selectSheet(db)
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('loan_order_pictures')
          .select(['hpc_id', eb.fn.countAll<number>().as('n')])
          .whereRef('loan_order_pictures.order_id', '=', 'o.id')
          .groupBy('hpc_id'),
      ).as('picture_counts'),
      jsonArrayFrom(
        eb
          .selectFrom('loan_order_suggestions')
          .select(['id', 'content', 'suggest_type', 'created_at'])
          .whereRef('loan_order_suggestions.order_id', '=', 'o.id'),
      ).as('suggestions'),
    ])
    .where('o.son_order_id', '=', sonOrderId);
});

type SheetRow = NonNullable<Awaited<ReturnType<typeof sheetById.first>>>;

function toSheet({ agent, customer, people, ...order }: SheetRow) {
  return {
    order: { ...order, id: Number(order.id) },
    agent: unnest(agent) ?? undefined,
    customer: unnest(customer) ?? undefined,
    people: unnest(people),
  };
}

export type OrderSheet = ReturnType<typeof toSheet>;

/** The order with its agent, customer details and people, found by its internal id. */
export async function findOrderSheet(db: Db, id: number): Promise<OrderSheet | undefined> {
  const row = await sheetById.first(db, id);
  return row && toSheet(row);
}

/** The order as the detail page shows it: its sheet, pictures per category, and suggestions. */
export async function findOrderDetailSheet(db: Db, sonOrderId: string) {
  const row = await detailBySonOrderId.first(db, sonOrderId);
  if (!row) return undefined;
  const { picture_counts, suggestions, ...sheet } = row;
  return {
    ...toSheet(sheet),
    pictureCounts: new Map(unnest(picture_counts).map((c) => [c.hpc_id, Number(c.n)])),
    // json_agg and json_group_array do not promise their input's order.
    suggestions: unnest(suggestions)
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map(({ id: _id, ...s }) => ({ ...s, created_at: Number(s.created_at) })),
  };
}
