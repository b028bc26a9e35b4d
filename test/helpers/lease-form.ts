import { addMonths } from '../../src/core/time.js';
import { DEMO_ENTRUST_ID } from '../../src/seed/demo-rental.js';

/**
 * A `/user_contract/save` form as the app sends it: a 6-month 长租整租 of the demo's entrust 3
 * (1 fen a month, so its first installment is 7 fen: 6 rent and 1 deposit), from `start`.
 */
export function leaseForm(start = '2024-06-10'): Record<string, string> {
  const end = addMonths(start, 6);
  return {
    t_name: '张租客',
    t_phone: '13812345678',
    t_id_card: '11010519491231002X',
    h_address: '树海',
    r_s_time: start,
    r_e_time: end,
    p_time: JSON.stringify([{ start, end }]),
    is_pay: '0',
    is_settle: '0',
    life: '{"water":100,"electric":200,"gas":90}',
    s_phone: '13725554033',
    facility: '[{"id":2,"name":"洗衣机","num":1,"cd":"完好"}]',
    h_i_id: String(DEMO_ENTRUST_ID),
    mode: '2',
    m_name: '测试账号袁',
    m_phone: '13725554033',
    m_s_phone: '15181474781',
    m_store: '内光华门店',
    other: '',
    people_num: '1',
  };
}
