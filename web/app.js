// The 面签 workbench: a page over the family-1 API, authenticated by the HttpOnly session cookie.
const view = document.getElementById('view');
const who = document.getElementById('who');

const h = (tag, attrs = {}, ...children) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) el.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return el;
};

async function call(method, url, fields) {
  const init = { method, credentials: 'same-origin', headers: {} };
  if (fields) {
    init.headers['content-type'] = 'application/x-www-form-urlencoded';
    init.body = new URLSearchParams(fields).toString();
  }
  const res = await fetch(url, init);
  if (res.status === 401) {
    location.hash = '#/login';
    throw new Error('请先登录');
  }
  return res.json();
}

function message(text, ok) {
  return h('div', { class: `message ${ok ? 'ok' : 'fail'}` }, text);
}

// ---- login ---------------------------------------------------------------------------------
function loginView() {
  who.replaceChildren();
  const out = h('div');
  const form = h(
    'form',
    {
      class: 'grid',
      onsubmit: async (e) => {
        e.preventDefault();
        const res = await call('POST', '/api/auth/login', Object.fromEntries(new FormData(form)));
        if (res.code === 1) location.hash = '#/list';
        else out.replaceChildren(message(res.msg, false));
      },
    },
    h('label', {}, '用户名', h('input', { name: 'username', autocomplete: 'username', required: true })),
    h(
      'label',
      {},
      '密码',
      h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    ),
    h('button', { type: 'submit' }, '登录'),
  );
  view.replaceChildren(h('section', { class: 'login' }, h('h2', {}, '员工登录'), out, form));
}

async function showWho() {
  const me = await call('GET', '/api/auth/me');
  who.replaceChildren(
    `${me.data.display_name}（${me.data.roles.join(', ')}）`,
    h(
      'button',
      {
        class: 'secondary',
        onclick: async () => {
          await call('POST', '/api/auth/logout');
          location.hash = '#/login';
        },
      },
      '退出',
    ),
  );
}

// ---- list ----------------------------------------------------------------------------------
const FILTERS = [
  ['customer_name', '客户姓名'],
  ['customer_mobile', '客户电话'],
  ['user_name', '中介姓名'],
  ['user_mobile', '中介电话'],
];

async function listView(params) {
  await showWho();
  const [index, list] = await Promise.all([
    call('GET', '/order_mianqian/index'),
    call('GET', `/order_mianshen/ajax_get_list?${params}`),
  ]);
  const page = Number(params.get('page_num') || '1');
  const filters = h(
    'form',
    {
      class: 'toolbar',
      onsubmit: (e) => {
        e.preventDefault();
        const q = new URLSearchParams();
        for (const [k, v] of new FormData(e.target)) if (v) q.set(k, v);
        location.hash = `#/list?${q}`;
      },
    },
    FILTERS.map(([name, label]) =>
      h('label', {}, label, h('input', { name, value: params.get(name) ?? '' })),
    ),
    h(
      'label',
      {},
      '城市',
      h(
        'select',
        { name: 'city_key' },
        h('option', { value: '' }, '全部'),
        Object.keys(index.data?.city_list ?? {}).map((c) =>
          h('option', { value: c, selected: params.get('city_key') === c }, c),
        ),
      ),
    ),
    h(
      'label',
      {},
      '预约日期',
      h('input', { type: 'date', name: 'appointment_time', value: params.get('appointment_time') ?? '' }),
    ),
    h(
      'label',
      {},
      '面签日期',
      h('input', { type: 'date', name: 'mianqian_opt_time', value: params.get('mianqian_opt_time') ?? '' }),
    ),
    h(
      'label',
      {},
      '只看驳回',
      h(
        'select',
        { name: 'is_bohui' },
        h('option', { value: '' }, '否'),
        h('option', { value: '1', selected: params.get('is_bohui') === '1' }, '是'),
      ),
    ),
    h('button', { type: 'submit' }, '查询'),
  );
  const body = list.order_list
    ? h(
        'table',
        {},
        h(
          'tr',
          {},
          ['订单编号', '客户', '客户电话', '中介', '中介电话', '房屋地址', '预约时间', '面签时间', ''].map(
            (t) => h('th', {}, t),
          ),
        ),
        list.order_list.map((o) =>
          h(
            'tr',
            {},
            h('td', {}, h('a', { href: `#/order/${o.son_order_id}` }, o.son_order_id)),
            h('td', {}, o.customer_name),
            h('td', {}, o.customer_mobile),
            h('td', {}, o.user_name),
            h('td', {}, o.user_mobile),
            h('td', { class: 'address' }, o.house_address),
            h('td', {}, o.appointment_time),
            h('td', {}, o.mianqian_opt_time),
            h('td', {}, o.is_bohui === '1' ? h('span', { class: 'badge' }, '驳回') : ''),
          ),
        ),
      )
    : message(list.msg, false);
  const go = (n) => {
    const q = new URLSearchParams(params);
    q.set('page_num', String(n));
    location.hash = `#/list?${q}`;
  };
  const pager = h(
    'div',
    { class: 'pager' },
    h('button', { class: 'secondary', disabled: page <= 1, onclick: () => go(page - 1) }, '上一页'),
    h('span', {}, `第 ${page} / ${list.page_count ?? 0} 页`),
    h(
      'button',
      { class: 'secondary', disabled: page >= (list.page_count ?? 0), onclick: () => go(page + 1) },
      '下一页',
    ),
    h(
      'span',
      { class: 'muted' },
      `驳回 ${list.bohui_count ?? 0} 单（全部驳回 ${index.data?.bohui_count ?? 0} 单）`,
    ),
  );
  view.replaceChildren(h('section', {}, h('h2', {}, '面签订单'), filters), h('section', {}, body, pager));
}

// ---- detail --------------------------------------------------------------------------------
const options = (map) => Object.entries(map).map(([value, text]) => ({ value, text }));
const listOptions = (list) =>
  Array.isArray(list) ? list.map((text, value) => ({ value: String(value), text })) : options(list);
const YES_NO = [
  { value: '1', text: '是' },
  { value: '2', text: '否' },
];

function field(name, label, value, choices) {
  const input = choices
    ? h(
        'select',
        { name },
        h('option', { value: '' }, '请选择'),
        choices.map((c) =>
          h('option', { value: c.value, selected: String(value ?? '') === c.value }, c.text),
        ),
      )
    : h('input', { name, value: value ?? '' });
  return h('label', { 'data-field': name }, label, input, h('span', { class: 'error' }));
}

function editForm(title, url, sonOrderId, fields, after) {
  const out = h('div');
  const form = h(
    'form',
    {
      class: 'grid',
      onsubmit: async (e) => {
        e.preventDefault();
        const res = await call('POST', url, {
          son_order_id: sonOrderId,
          ...Object.fromEntries(new FormData(form)),
        });
        for (const label of form.querySelectorAll('label')) {
          label.classList.remove('bad');
          label.querySelector('.error').textContent = '';
        }
        for (const err of res.errors ?? []) {
          const label = form.querySelector(`[data-field="${err.field}"]`);
          if (label) {
            label.classList.add('bad');
            label.querySelector('.error').textContent = err.error;
          }
        }
        out.replaceChildren(message(res.msg, res.code === 1));
        if (res.code === 1 && after) after();
      },
    },
    fields,
    h('div', {}, h('button', { type: 'submit' }, '保存')),
  );
  return h('section', {}, h('h2', {}, title), out, form);
}

async function orderView(sonOrderId) {
  await showWho();
  const res = await call(
    'GET',
    `/order_mianqian/order_detail?son_order_id=${encodeURIComponent(sonOrderId)}`,
  );
  if (res.code !== 1)
    return view.replaceChildren(
      h('section', {}, message(res.msg, false), h('a', { href: '#/list' }, '返回列表')),
    );
  const d = res.data;
  const o = d.order_info;
  const house = d.house_info;
  const c = d.customer_info;
  const cityCode = house.house_province === '上海市' ? 'sh' : 'bj';
  const reload = () => orderView(sonOrderId);
  const act = async (path, label) => {
    const reason = prompt(`${label}：请填写原因（可空）`);
    if (reason === null) return;
    const r = await call('POST', `/order_mianqian/${path}`, {
      son_order_id: sonOrderId,
      mianqian_suggest: reason,
    });
    alert(r.msg);
    reload();
  };
  const person = (p, title) => [
    field(`${p}name`, `${title}姓名`, c[`${p}name`]),
    field(`${p}mobile`, `${title}手机号`, c[`${p}mobile`]),
    field(`${p}id_card`, `${title}身份证号`, c[`${p}id_card`]),
    field(`${p}domicile`, `${title}户籍`, c[`${p}domicile`]),
    field(`${p}unit`, `${title}工作单位`, c[`${p}unit`]),
    field(`${p}is_execute`, `${title}是否被执行`, c[`${p}is_execute`], YES_NO),
    field(`${p}unit_is_execute`, `${title}单位是否被执行`, c[`${p}unit_is_execute`], YES_NO),
    h(
      'label',
      {},
      `${title}年龄 / 性别（由身份证号得出）`,
      h('input', {
        disabled: true,
        value: c[`${p}age`] === null ? '' : `${c[`${p}age`]} / ${c[`${p}sex`] === 1 ? '男' : '女'}`,
      }),
    ),
  ];
  view.replaceChildren(
    h(
      'section',
      {},
      h('h2', {}, `订单 ${o.son_order_id}`),
      h(
        'p',
        {},
        `${d.order_type_list[o.order_type] ?? ''} · 预约 ${o.appointment_time ?? '—'} · 面签操作 ${o.mianqian_opt_time ?? '—'} · 中介 ${d.user_info.realname ?? '—'} ${d.user_info.u_mobile ?? ''}`,
      ),
      h(
        'div',
        { class: 'toolbar' },
        h('button', { onclick: () => act('order_pass', '面签通过') }, '面签通过'),
        h('button', { class: 'secondary', onclick: () => act('order_return_kefu', '返回客服') }, '返回客服'),
        h('button', { class: 'danger', onclick: () => act('order_stop', '订单终止') }, '订单终止'),
        h('a', { href: '#/list' }, '返回列表'),
      ),
    ),
    editForm(
      '借款信息',
      '/order_mianqian/save_borrow_info',
      sonOrderId,
      [
        field('user_realname', '中介姓名', d.user_info.realname),
        field('loan_money', '借款金额（万元）', o.loan_money),
        field(
          'loan_limit',
          '借款期限（月）',
          o.loan_limit,
          d.loan_limit_list.map((v) => ({ value: String(v), text: String(v) })),
        ),
        field(
          'production_no',
          '产品类型',
          o.production_no,
          d.production_list.map((p) => ({ value: String(p.id), text: p.name })),
        ),
        field('yueding_lilv', '约定利率（%）', o.yueding_lilv),
        field('service_fee', '服务费（%）', o.service_fee),
      ],
      reload,
    ),
    editForm(
      '房产信息',
      '/order_mianqian/save_house_info',
      sonOrderId,
      [
        field('house_cert_no', '房产证号', house.house_cert_no),
        field(
          'house_province',
          '城市',
          house.house_province,
          Object.keys(d.city_data).map((v) => ({ value: v, text: v })),
        ),
        field(
          'house_city',
          '区域',
          house.house_city,
          (d.city_data[house.house_province] ?? []).map((v) => ({ value: v, text: v })),
        ),
        field('house_address', '详细地址', house.house_address),
        field('house_type', '房产性质', house.house_type, listOptions(d.house_type_list[cityCode])),
        field('guihuayongtu', '规划用途', house.guihuayongtu, listOptions(d.guihuayongtu_list[cityCode])),
        field('house_size', '建筑面积（㎡）', house.house_size),
        field('built_in', '建成年代', house.built_in),
        field('mortgage_type', '抵押类型', house.mortgage_type, [
          { value: '0', text: '未抵押' },
          ...listOptions(d.mortgage_type_list),
        ]),
        field('before_one_arrived', '之前一抵金额（万元）', house.before_one_arrived),
        field('before_two_arrived', '之前二抵金额（万元）', house.before_two_arrived),
        field('pg_money_shilian', '世联评估价格（万元）', house.pg_money_shilian),
        field('pg_money_renda', '仁达评估价格（万元）', house.pg_money_renda),
      ],
      reload,
    ),
    editForm(
      '客户信息',
      '/order_mianqian/save_customer_info',
      sonOrderId,
      [
        ...person('', '客户'),
        field('marital_tatus', '婚姻状况', c.marital_tatus, listOptions(d.marital_tatus_list)),
        field('marry_date', '结婚日期', c.marry_date),
        field('lihun_date', '离婚日期', c.lihun_date),
        field('month_income', '月收入（元）', c.month_income),
        field('address', '现住址', c.address),
        field('second_address', '第二居住地址', c.second_address),
        field('emergency_contact', '紧急联系人', c.emergency_contact),
        field('emergency_mobile', '紧急联系人手机号', c.emergency_mobile),
        field('emergency_relationship', '与借款人关系', c.emergency_relationship),
        field('property2_owner', '第二产权人', c.property2_owner),
        field('common_proportion', '共有比例', c.common_proportion),
        ...person('link_', '配偶'),
        field('gongjie_status', '共借状况', c.gongjie_status, [
          { value: '0', text: '无共借' },
          { value: '1', text: '有共借' },
        ]),
        ...person('link2_', '共借人'),
      ],
      reload,
    ),
    h(
      'section',
      {},
      h('h2', {}, '图片资料'),
      h(
        'table',
        {},
        d.pic_data.map((cat) =>
          h(
            'tr',
            {},
            h('th', {}, cat.hpc_name),
            h('td', {}, cat.son_cate_list.map((s) => `${s.hpc_name} ${s.pic_num} 张`).join('　')),
          ),
        ),
      ),
    ),
    h(
      'section',
      {},
      h('h2', {}, '建议记录'),
      h(
        'table',
        {},
        d.suggest_list.map((s) =>
          h(
            'tr',
            {},
            h('td', {}, s.create_time),
            h('td', {}, String(s.suggest_type)),
            h('td', { class: 'address' }, s.content),
          ),
        ),
      ),
    ),
    editForm(
      '面签建议',
      '/order_mianqian/save_suggest',
      sonOrderId,
      [
        h(
          'label',
          { 'data-field': 'mianqian_suggest' },
          '建议内容',
          h('textarea', { name: 'mianqian_suggest', rows: 3 }),
          h('span', { class: 'error' }),
        ),
      ],
      reload,
    ),
  );
}

// ---- routing -------------------------------------------------------------------------------
async function route() {
  const [path, query = ''] = location.hash.slice(1).split('?');
  try {
    if (path === '/login') return loginView();
    if (path?.startsWith('/order/')) return await orderView(decodeURIComponent(path.slice('/order/'.length)));
    return await listView(new URLSearchParams(query));
  } catch (error) {
    if (location.hash !== '#/login') view.replaceChildren(message(String(error.message ?? error), false));
  }
}

window.addEventListener('hashchange', route);
route();
