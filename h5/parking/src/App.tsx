import {
  Button,
  Card,
  Dialog,
  ErrorBlock,
  Input,
  List,
  NoticeBar,
  Result,
  Selector,
  SpinLoading,
  Switch,
  Tag,
  Toast,
} from 'antd-mobile';
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import {
  ApiError,
  adoptAddressParams,
  api,
  type CardView,
  EMPTY_SLOT_NAME,
  type ExtraView,
  type OrderView,
  type OrgView,
  type PlateView,
  payAtWechat,
  remember,
  remembered,
  type UserView,
} from './api';
import {
  AUDIT_LABELS,
  beijingDate,
  CARD_STATE_LABELS,
  EXPIRE_LABELS,
  isMobile,
  ORDER_STATE_LABELS,
  PRICE_TYPES,
  UNIT_LABELS,
  yuan,
} from './format';

const COUNTDOWN_SECONDS = 60;
const BASE = '/parking/';

const messageOf = (error: unknown, fallback = '操作失败，请稍后再试') =>
  error instanceof ApiError ? error.message : fallback;

/** The user's cards as the page shows them, each with the renewal answer of call 2. */
interface Home {
  user: UserView;
  cards: { card: CardView; canRePay: string }[];
  plates: PlateView[];
}

type Screen =
  | { kind: 'loading' }
  | { kind: 'failed'; msg: string }
  | { kind: 'bind'; msg?: string }
  | { kind: 'home'; home: Home }
  | { kind: 'profile'; home: Home }
  | { kind: 'renew'; home: Home; card: CardView }
  | { kind: 'order'; home: Home; card: CardView; order: OrderView }
  | { kind: 'paid'; card: CardView; order: OrderView };

function go(path: string): void {
  if (window.location.pathname !== path) window.history.pushState(null, '', path);
}

/** Call 2 for every card the phone remembers: the user, the plates, each card with canRePay. */
async function loadHome(cardIds: string[]): Promise<Home | undefined> {
  let user: UserView | undefined;
  const cards: Home['cards'] = [];
  const known = new Set<string>();
  const queue = [...cardIds];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (known.has(id)) continue;
    known.add(id);
    let answer: Awaited<ReturnType<typeof api.findByCardId>>;
    try {
      answer = await api.findByCardId(id);
    } catch (error) {
      // 卡不存在: another person's card, or one this openId no longer holds. Forget it.
      if (error instanceof ApiError && /不存在/.test(error.message)) continue;
      throw error;
    }
    user ??= answer.user;
    const card = answer.user.cardList?.find((c) => c.omPrCardId === id);
    if (card) cards.push({ card, canRePay: answer.canRePay });
    for (const other of answer.user.cardList ?? [])
      if (!known.has(other.omPrCardId)) queue.push(other.omPrCardId);
  }
  if (!user) return undefined;
  remember({ userInfoId: user.pmSetrentUserinfoId, cardIds: cards.map((c) => c.card.omPrCardId) });
  return { user, cards, plates: platesOf(user) };
}

function homeFromBind(user: UserView): Home {
  const cards = (user.cardList ?? []).map((card) => ({
    card,
    canRePay: card.orderState === '01' || String(card.ifHasConflictProcess) === 'true' ? '1' : '0',
  }));
  return { user, cards, plates: platesOf(user) };
}

function platesOf(user: UserView): PlateView[] {
  if (user.pmSetRentCarInfoList) return user.pmSetRentCarInfoList;
  return (user.carNums ?? '')
    .split(',')
    .map((carNum) => carNum.trim())
    .filter(Boolean)
    .map((carNum) => ({ carNum }));
}

export function App() {
  const [screen, setScreen] = useState<Screen>({ kind: 'loading' });

  const showHome = useCallback(async (openRenewOf?: string) => {
    setScreen({ kind: 'loading' });
    const { cardIds } = remembered();
    if (cardIds.length === 0) {
      go(`${BASE}bind`);
      setScreen({ kind: 'bind' });
      return;
    }
    try {
      const home = await loadHome(cardIds);
      if (!home) {
        remember({ cardIds: [], userInfoId: undefined });
        go(`${BASE}bind`);
        setScreen({ kind: 'bind', msg: '未找到您的车位信息，请验证手机号后查询' });
        return;
      }
      const card = openRenewOf && home.cards.find((c) => c.card.omPrCardId === openRenewOf)?.card;
      if (card) setScreen({ kind: 'renew', home, card });
      else {
        go(BASE);
        setScreen({ kind: 'home', home });
      }
    } catch (error) {
      setScreen({ kind: 'failed', msg: messageOf(error, '页面加载失败，请稍后再试') });
    }
  }, []);

  useEffect(() => {
    adoptAddressParams();
    const renewOf = /\/parking\/renew\/([0-9a-f]{32})\/?$/.exec(window.location.pathname)?.[1];
    if (/\/parking\/bind\/?$/.test(window.location.pathname)) setScreen({ kind: 'bind' });
    else void showHome(renewOf);
    const onBack = () => void showHome();
    window.addEventListener('popstate', onBack);
    return () => window.removeEventListener('popstate', onBack);
  }, [showHome]);

  // A toast from one screen (车牌已删除) does not follow the person to the next.
  useEffect(() => {
    if (screen.kind !== 'loading' && screen.kind !== 'home') Toast.clear();
  }, [screen.kind]);

  switch (screen.kind) {
    case 'loading':
      return (
        <div className="center" data-testid="loading">
          <SpinLoading color="primary" />
        </div>
      );
    case 'failed':
      return (
        <div className="page">
          <ErrorBlock status="default" title="页面加载失败" description={screen.msg} fullPage>
            <Button color="primary" onClick={() => void showHome()}>
              重新加载
            </Button>
          </ErrorBlock>
        </div>
      );
    case 'bind':
      return (
        <BindPage
          notice={screen.msg}
          onBound={(user) => {
            go(BASE);
            setScreen({ kind: 'home', home: homeFromBind(user) });
          }}
        />
      );
    case 'home':
      return (
        <HomePage
          home={screen.home}
          onReload={() => showHome()}
          onRebind={() => {
            go(`${BASE}bind`);
            setScreen({ kind: 'bind' });
          }}
          onEditProfile={() => {
            go(`${BASE}profile`);
            setScreen({ kind: 'profile', home: screen.home });
          }}
          onRenew={(card) => {
            go(`${BASE}renew/${card.omPrCardId}`);
            setScreen({ kind: 'renew', home: screen.home, card });
          }}
          onOpenOrder={(card) =>
            setScreen({ kind: 'order', home: screen.home, card, order: orderOfCard(card) })
          }
        />
      );
    case 'profile':
      return (
        <ProfilePage
          user={screen.home.user}
          onDone={() => {
            Toast.show({ icon: 'success', content: '信息已修改' });
            void showHome();
          }}
          onCancel={() => void showHome()}
        />
      );
    case 'renew':
      return (
        <RenewPage
          home={screen.home}
          card={screen.card}
          onCancel={() => void showHome()}
          onOrdered={(order) => {
            go(BASE);
            setScreen({ kind: 'order', home: screen.home, card: screen.card, order });
          }}
        />
      );
    case 'order':
      return (
        <OrderPage
          card={screen.card}
          order={screen.order}
          onBack={() => void showHome()}
          onPaid={(card) => setScreen({ kind: 'paid', card, order: screen.order })}
        />
      );
    case 'paid':
      return <PaidPage card={screen.card} order={screen.order} onBack={() => void showHome()} />;
  }
}

/** The card's open order (its last one) as the order page shows it. */
function orderOfCard(card: CardView): OrderView {
  return {
    omPrOrderId: card.lastOrderId ?? '',
    omPrCardId: card.omPrCardId,
    productName: card.productName,
    amount:
      card.orderAmount === null || card.orderAmount === undefined ? undefined : String(card.orderAmount),
    state: card.orderState ?? undefined,
    auditStateBeforePay: card.auditStateBeforePay ?? undefined,
    // The card list says 审核中 with isExpire 2 whatever auditStateBeforePay is.
    isAuditBeforePay: card.isExpire === '2' || card.auditStateBeforePay === '02' ? '1' : undefined,
  };
}

type OrderStep = 'review' | 'refused' | 'pay' | 'paid' | 'closed';

function stepOf(order: OrderView): OrderStep {
  if (order.state === '03') return 'paid';
  if (order.state && order.state !== '01') return 'closed';
  if (order.auditStateBeforePay === '04') return 'refused';
  if (order.isAuditBeforePay === '1' && order.auditStateBeforePay !== '03') return 'review';
  if (order.auditStateBeforePay === '02') return 'review';
  return 'pay';
}

function ErrorNotice({ msg }: { msg?: string }) {
  if (!msg) return null;
  return (
    <div className="form-error" role="alert" data-testid="form-error">
      <NoticeBar color="error" content={msg} wrap />
    </div>
  );
}

function Title({ children, sub }: { children: ReactNode; sub?: ReactNode }) {
  return (
    <>
      <div className="page-title">{children}</div>
      {sub && <div className="page-subtitle">{sub}</div>}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Prove the phone: call 8 then call 1.

/** 获取验证码 (call 8) with its 60-second countdown; a refusal goes to onError as the server said it. */
function CodeButton({ phone, onError }: { phone: string; onError: (msg: string | undefined) => void }) {
  const [sending, setSending] = useState(false);
  const [countdown, setCountdown] = useState(0);
  const timer = useRef<number>();
  useEffect(() => () => window.clearInterval(timer.current), []);

  const send = async () => {
    onError(undefined);
    if (!isMobile(phone)) {
      onError('请输入正确的11位手机号');
      return;
    }
    setSending(true);
    try {
      await api.sendCode(phone);
      setCountdown(COUNTDOWN_SECONDS);
      window.clearInterval(timer.current);
      timer.current = window.setInterval(() => {
        setCountdown((left) => {
          if (left <= 1) window.clearInterval(timer.current);
          return left - 1;
        });
      }, 1000);
      Toast.show({ content: '验证码已发送' });
    } catch (e) {
      onError(messageOf(e, '验证码发送失败，请稍后再试'));
    } finally {
      setSending(false);
    }
  };

  return (
    <Button
      size="small"
      color="primary"
      fill="outline"
      loading={sending}
      disabled={countdown > 0 || sending}
      onClick={send}
    >
      {countdown > 0 ? `${countdown}秒后重新获取` : '获取验证码'}
    </Button>
  );
}

const DRAFT_KEY = 'fangtong.parking.bindDraft';

function BindPage({ notice, onBound }: { notice?: string; onBound: (user: UserView) => void }) {
  const draft = (() => {
    try {
      return JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? '{}') as Record<string, string>;
    } catch {
      return {};
    }
  })();
  const [carNum, setCarNum] = useState(draft.carNum ?? '');
  const [name, setName] = useState(draft.name ?? '');
  const [phone, setPhone] = useState(draft.phone ?? '');
  const [duplicateCode, setDuplicateCode] = useState(draft.duplicateCode ?? '');
  const [overwrite, setOverwrite] = useState(true);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | undefined>(notice);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    // A login on the way (401 → WeChat OAuth) must not cost the person what they typed.
    sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ carNum, name, phone, duplicateCode }));
  }, [carNum, name, phone, duplicateCode]);

  const submit = async () => {
    setError(undefined);
    setBusy(true);
    try {
      const user = await api.findByCarNum({
        carNum: carNum.trim().toUpperCase(),
        name: name.trim(),
        phone,
        duplicateCode: duplicateCode.trim(),
        phoneCode: code,
        isOverDuplicate: overwrite ? '0' : '1',
      });
      remember({
        userInfoId: user.pmSetrentUserinfoId,
        cardIds: (user.cardList ?? []).map((c) => c.omPrCardId),
      });
      sessionStorage.removeItem(DRAFT_KEY);
      onBound(user);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page">
      <Title sub="请填写车辆和本人信息，验证手机号后查询或办理包月车位">包月车位</Title>
      <List header="车辆与本人信息" mode="card">
        <List.Item title="车牌号">
          <Input
            aria-label="车牌号"
            placeholder="如 京A12345"
            value={carNum}
            onChange={setCarNum}
            clearable
          />
        </List.Item>
        <List.Item title="姓名">
          <Input aria-label="姓名" placeholder="请输入姓名" value={name} onChange={setName} clearable />
        </List.Item>
        <List.Item title="职工工号">
          <Input
            aria-label="职工工号"
            placeholder="请输入职工工号"
            value={duplicateCode}
            onChange={setDuplicateCode}
            clearable
          />
        </List.Item>
        <List.Item
          extra={<Switch aria-label="覆盖已登记的职工工号" checked={overwrite} onChange={setOverwrite} />}
          description="关闭则保留系统中已登记的工号"
        >
          覆盖已登记的职工工号
        </List.Item>
      </List>
      <List header="手机验证" mode="card">
        <List.Item title="手机号">
          <Input
            aria-label="手机号"
            placeholder="请输入11位手机号"
            inputMode="numeric"
            maxLength={11}
            value={phone}
            onChange={(value) => setPhone(value.replace(/\D/g, '').slice(0, 11))}
          />
        </List.Item>
        <List.Item title="验证码" extra={<CodeButton phone={phone} onError={setError} />}>
          <Input
            aria-label="验证码"
            placeholder="请输入验证码"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            value={code}
            onChange={(value) => setCode(value.replace(/\D/g, '').slice(0, 6))}
          />
        </List.Item>
      </List>
      <ErrorNotice msg={error} />
      <div className="actions">
        <Button block color="primary" size="large" loading={busy} disabled={busy} onClick={submit}>
          验证并查询
        </Button>
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// The user's own name and phone (call 3); a new phone proved by a code sent to it.

function ProfilePage(props: { user: UserView; onDone: () => void; onCancel: () => void }) {
  const { user } = props;
  const [name, setName] = useState(user.name ?? '');
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setError(undefined);
    setBusy(true);
    try {
      await api.updateUser({
        pmSetrentUserinfoId: user.pmSetrentUserinfoId,
        name: name.trim(),
        ...(phone ? { phone, phoneCode: code } : {}),
      });
      props.onDone();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page">
      <Title sub="修改手机号需要验证新手机号">修改信息</Title>
      <List header="姓名" mode="card">
        <List.Item>
          <Input aria-label="新姓名" value={name} onChange={setName} clearable />
        </List.Item>
      </List>
      <List header="手机号" mode="card">
        <List.Item extra={user.phone}>当前手机号</List.Item>
        <List.Item title="新手机号（不修改请留空）">
          <Input
            aria-label="新手机号"
            placeholder="请输入新的11位手机号"
            inputMode="numeric"
            maxLength={11}
            value={phone}
            onChange={(value) => setPhone(value.replace(/\D/g, '').slice(0, 11))}
          />
        </List.Item>
        {phone && (
          <List.Item title="验证码" extra={<CodeButton phone={phone} onError={setError} />}>
            <Input
              aria-label="新手机号验证码"
              placeholder="请输入验证码"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              value={code}
              onChange={(value) => setCode(value.replace(/\D/g, '').slice(0, 6))}
            />
          </List.Item>
        )}
      </List>
      <ErrorNotice msg={error} />
      <div className="actions">
        <Button block color="primary" size="large" loading={busy} disabled={busy} onClick={submit}>
          保存
        </Button>
        <Button block fill="outline" size="large" disabled={busy} onClick={props.onCancel}>
          返回
        </Button>
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// The user, the plates and the cards.

function HomePage(props: {
  home: Home;
  onReload: () => void;
  onRebind: () => void;
  onEditProfile: () => void;
  onRenew: (card: CardView) => void;
  onOpenOrder: (card: CardView) => void;
}) {
  const { user, cards, plates } = props.home;
  const [newPlates, setNewPlates] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const addPlates = async () => {
    setError(undefined);
    setBusy(true);
    try {
      await api.addCarNums(user.pmSetrentUserinfoId, newPlates.trim().toUpperCase().replace(/，/g, ','));
      setNewPlates('');
      Toast.show({ icon: 'success', content: '车牌已添加' });
      props.onReload();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const deletePlate = async (carNum: string) => {
    const confirmed = await Dialog.confirm({ title: '删除车牌', content: `确定删除车牌 ${carNum}？` });
    if (!confirmed) return;
    setError(undefined);
    try {
      await api.deleteCarNums(user.pmSetrentUserinfoId, carNum);
      Toast.show({ icon: 'success', content: '车牌已删除' });
      props.onReload();
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const org = [user.firstOrgName, user.secondOrgName].filter(Boolean).join(' / ');
  return (
    <div className="page">
      <Title>我的包月车位</Title>
      <List header="用户信息" mode="card">
        <List.Item extra={<span data-testid="user-name">{user.name}</span>}>姓名</List.Item>
        <List.Item extra={<span data-testid="user-phone">{user.phone}</span>}>手机号</List.Item>
        {user.duplicateCode && <List.Item extra={user.duplicateCode}>职工工号</List.Item>}
        {org && <List.Item extra={org}>所属机构</List.Item>}
        <List.Item clickable onClick={props.onEditProfile}>
          修改姓名或手机号
        </List.Item>
      </List>

      <div className="section-header">车位卡</div>
      {cards.length === 0 && <div className="hint">暂无车位卡</div>}
      {cards.map(({ card, canRePay }) => (
        <CardItem
          key={card.omPrCardId}
          card={card}
          canRePay={canRePay}
          onRenew={() => props.onRenew(card)}
          onOpenOrder={() => props.onOpenOrder(card)}
          onReload={props.onReload}
        />
      ))}

      <List header="我的车牌" mode="card">
        {plates.map((plate) => (
          <List.Item
            key={plate.carNum}
            extra={
              plate.channel === '9' ? (
                <Button
                  size="mini"
                  color="danger"
                  fill="outline"
                  aria-label={`删除车牌${plate.carNum}`}
                  onClick={() => deletePlate(plate.carNum)}
                >
                  删除
                </Button>
              ) : undefined
            }
            description={plate.channel === '9' ? '线上添加' : undefined}
          >
            <span data-testid="plate">{plate.carNum}</span>
          </List.Item>
        ))}
        <List.Item
          extra={
            <Button size="small" color="primary" disabled={!newPlates.trim() || busy} onClick={addPlates}>
              添加
            </Button>
          }
        >
          <Input
            aria-label="新增车牌号"
            placeholder="新增车牌，多个用逗号分隔"
            value={newPlates}
            onChange={setNewPlates}
          />
        </List.Item>
      </List>
      <ErrorNotice msg={error} />
      <div className="actions">
        <Button block fill="none" color="primary" onClick={props.onRebind}>
          重新验证手机号
        </Button>
      </div>
    </div>
  );
}

function CardItem(props: {
  card: CardView;
  canRePay: string;
  onRenew: () => void;
  onOpenOrder: () => void;
  onReload: () => void;
}) {
  const { card } = props;
  const open = card.orderState === '01' && !!card.lastOrderId;
  const step = open ? stepOf(orderOfCard(card)) : undefined;
  const expire = card.isExpire ? EXPIRE_LABELS[card.isExpire] : undefined;
  return (
    <Card
      className="permit"
      data-testid={`card-${card.omPrCardId}`}
      title={card.productName || '包月车位'}
      extra={
        <Tag color={card.isExpire === '1' ? 'danger' : card.isExpire === '0' ? 'success' : 'primary'}>
          {expire ?? CARD_STATE_LABELS[String(card.state)] ?? ''}
        </Tag>
      }
    >
      <div className="row">
        <span>有效期</span>
        <span>
          {beijingDate(card.startDt)} 至 <b data-testid="card-end">{beijingDate(card.endDt)}</b>
        </span>
      </div>
      <div className="row">
        <span>单价</span>
        <span>
          {yuan(card.amount)}
          {card.unitType && UNIT_LABELS[card.unitType] ? ` / ${UNIT_LABELS[card.unitType]}` : ''}
        </span>
      </div>
      <div className="row">
        <span>卡状态</span>
        <span>{CARD_STATE_LABELS[String(card.state)] ?? String(card.state ?? '')}</span>
      </div>
      {card.lastOrderId && card.orderState && (
        <div className="row">
          <span>最近订单</span>
          <span data-testid="card-order-state">
            {card.auditStateBeforePay === '04'
              ? '审核未通过'
              : (ORDER_STATE_LABELS[card.orderState] ?? card.orderState)}
            {card.orderAmount !== null && card.orderAmount !== undefined
              ? ` · ${yuan(card.orderAmount)}`
              : ''}
          </span>
        </div>
      )}
      <div className="card-actions">
        {step === 'review' && (
          <>
            <Tag color="warning" data-testid="card-review">
              审核中
            </Tag>
            <Button size="small" onClick={props.onReload}>
              刷新
            </Button>
          </>
        )}
        {step === 'refused' && <Tag color="danger">审核拒绝</Tag>}
        {step === 'pay' && (
          <Button size="small" color="primary" onClick={props.onOpenOrder}>
            去支付
          </Button>
        )}
        {!open && props.canRePay === '0' && (
          <Button size="small" color="primary" onClick={props.onRenew}>
            {card.state === 0 || card.state === '0' ? '购买' : '续费'}
          </Button>
        )}
      </div>
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------
// The renewal order: price type, org, department, extra items, then the multipart call 6.

function RenewPage(props: {
  home: Home;
  card: CardView;
  onCancel: () => void;
  onOrdered: (order: OrderView) => void;
}) {
  const { user } = props.home;
  const { card } = props;
  const [priceType, setPriceType] = useState<string>('01');
  const [firstOrgs, setFirstOrgs] = useState<OrgView[]>([]);
  const [secondOrgs, setSecondOrgs] = useState<OrgView[]>([]);
  const [firstCode, setFirstCode] = useState<string>(user.firstOrgCode ?? '');
  const [secondCode, setSecondCode] = useState<string>(user.secondOrgCode ?? '');
  const [department, setDepartment] = useState<string>(user.department ?? user.secondOrgCode ?? '');
  const [duplicateCode, setDuplicateCode] = useState<string>(user.duplicateCode ?? '');
  const [extras, setExtras] = useState<ExtraView[]>();
  const [files, setFiles] = useState<Record<string, File | undefined>>({});
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    Promise.all([api.organizations(), api.extraInfos()]).then(
      ([orgs, items]) => {
        if (!live) return;
        setFirstOrgs(orgs);
        setExtras(items);
      },
      (e) => live && setError(messageOf(e, '加载停车场配置失败')),
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    if (!firstCode) {
      setSecondOrgs([]);
      return;
    }
    let live = true;
    api.organizations(firstCode).then(
      (orgs) => live && setSecondOrgs(orgs),
      (e) => live && setError(messageOf(e, '加载二级机构失败')),
    );
    return () => {
      live = false;
    };
  }, [firstCode]);

  const first = firstOrgs.find((o) => String(o.orgCode) === firstCode);
  const second = secondOrgs.find((o) => String(o.orgCode) === secondCode);

  const submit = async () => {
    setError(undefined);
    if (!extras) return;
    const form = new FormData();
    const fields: Record<string, string> = {
      omPrCardId: card.omPrCardId,
      pmSetrentId: card.productId ?? '',
      productVId: card.productVId ?? '',
      priceType,
      userInfoId: user.pmSetrentUserinfoId,
      duplicateCode: duplicateCode.trim(),
      userDepartment: department.trim(),
      firstOrgName: first?.name ?? '',
      firstOrgCode: first ? String(first.orgCode) : '',
      secondOrgName: second?.name ?? '',
      secondOrgCode: second ? String(second.orgCode) : '',
    };
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append(
      'extraDataJson',
      JSON.stringify(
        extras.map((x) => ({
          type: x.type,
          name: x.name,
          code: x.code,
          content: x.type === '1' ? (files[x.code]?.name ?? '') : (texts[x.code] ?? '').trim(),
        })),
      ),
    );
    // One file part per extra item, in the items' order; an item without a file holds the
    // spec's empty slot.
    for (const x of extras) {
      const file = x.type === '1' ? files[x.code] : undefined;
      if (file) form.append('files', file, file.name);
      else form.append('files', new Blob([], { type: 'application/octet-stream' }), EMPTY_SLOT_NAME);
    }
    setBusy(true);
    try {
      const order = await api.renew(form);
      props.onOrdered({ ...order, omPrCardId: order.omPrCardId ?? card.omPrCardId });
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page">
      <Title sub="请选择价格类型和所属机构，上传所需材料后提交订单">
        {card.state === 0 || card.state === '0' ? '购买车位' : '续费车位'}
      </Title>
      <List header="车位" mode="card">
        <List.Item extra={card.productName || '包月车位'}>产品</List.Item>
        <List.Item extra={<span>{beijingDate(card.endDt)}</span>}>当前有效期至</List.Item>
        <List.Item extra={card.unitType ? `1 ${UNIT_LABELS[card.unitType] ?? ''}` : '—'}>购买时长</List.Item>
      </List>
      <List header="价格类型" mode="card">
        <List.Item>
          <Selector
            aria-label="价格类型"
            columns={2}
            options={PRICE_TYPES.map((p) => ({ label: p.label, value: p.value }))}
            value={[priceType]}
            onChange={(values) => values[0] && setPriceType(values[0])}
          />
        </List.Item>
      </List>
      <List header="一级机构" mode="card">
        <List.Item>
          {firstOrgs.length === 0 ? (
            <span className="muted">加载中…</span>
          ) : (
            <Selector
              aria-label="一级机构"
              columns={2}
              options={firstOrgs.map((o) => ({ label: o.name, value: String(o.orgCode) }))}
              value={firstCode ? [firstCode] : []}
              onChange={(values) => {
                // Choosing the chosen one again keeps it (a Selector would clear it).
                if (!values[0] || values[0] === firstCode) return;
                setFirstCode(values[0]);
                setSecondCode('');
              }}
            />
          )}
        </List.Item>
      </List>
      {firstCode && (
        <List header="二级机构" mode="card">
          <List.Item>
            {secondOrgs.length === 0 ? (
              <span className="muted">无二级机构</span>
            ) : (
              <Selector
                aria-label="二级机构"
                columns={2}
                options={secondOrgs.map((o) => ({ label: o.name, value: String(o.orgCode) }))}
                value={secondCode ? [secondCode] : []}
                onChange={(values) => {
                  if (!values[0]) return;
                  setSecondCode(values[0]);
                  setDepartment(values[0]);
                }}
              />
            )}
          </List.Item>
        </List>
      )}
      <List header="职工信息" mode="card">
        <List.Item title="职工编号">
          <Input aria-label="职工编号" value={duplicateCode} onChange={setDuplicateCode} clearable />
        </List.Item>
        <List.Item title="所属部门（二级部门编号）">
          <Input aria-label="所属部门" value={department} onChange={setDepartment} clearable />
        </List.Item>
      </List>
      <List header="所需材料" mode="card">
        {!extras && <List.Item>加载中…</List.Item>}
        {extras?.map((x) =>
          x.type === '1' ? (
            <List.Item
              key={x.pmSetrentParkExtraId}
              title={x.name}
              description={
                files[x.code]
                  ? `${files[x.code]!.name}（${Math.ceil(files[x.code]!.size / 1024)} KB）`
                  : '支持 JPG、PNG、PDF，单个不超过 5 MB'
              }
            >
              <label className="upload">
                <input
                  className="file-input"
                  type="file"
                  aria-label={x.name}
                  accept="image/jpeg,image/png,application/pdf"
                  onChange={(event) => {
                    const file = event.target.files?.[0];
                    setFiles((all) => ({ ...all, [x.code]: file }));
                  }}
                />
                <span className="upload-button">{files[x.code] ? '重新选择' : '选择图片或拍照'}</span>
              </label>
            </List.Item>
          ) : (
            <List.Item key={x.pmSetrentParkExtraId} title={x.name}>
              <Input
                aria-label={x.name}
                placeholder={`请输入${x.name}`}
                value={texts[x.code] ?? ''}
                onChange={(value) => setTexts((all) => ({ ...all, [x.code]: value }))}
              />
            </List.Item>
          ),
        )}
      </List>
      <ErrorNotice msg={error} />
      <div className="actions">
        <Button block color="primary" size="large" loading={busy} disabled={busy || !extras} onClick={submit}>
          提交订单
        </Button>
        <Button block fill="outline" size="large" disabled={busy} onClick={props.onCancel}>
          返回
        </Button>
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// The order: awaiting review, or paid through WeChat, then the new end date.

function OrderPage(props: {
  card: CardView;
  order: OrderView;
  onBack: () => void;
  onPaid: (card: CardView) => void;
}) {
  const [order, setOrder] = useState(props.order);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<'pay' | 'refresh'>();
  const cardId = order.omPrCardId ?? props.card.omPrCardId;
  const step = stepOf(order);

  /** The card as call 2 answers it now, and its last order's state folded into the order. */
  const latest = async (): Promise<CardView | undefined> => {
    const { user } = await api.findByCardId(cardId);
    const card = user.cardList?.find((c) => c.omPrCardId === cardId);
    if (card && card.lastOrderId === order.omPrOrderId) {
      setOrder((o) => ({
        ...o,
        state: card.orderState ?? o.state,
        auditStateBeforePay: card.auditStateBeforePay ?? o.auditStateBeforePay,
        isAuditBeforePay: card.isExpire === '2' ? '1' : o.isAuditBeforePay,
      }));
    }
    return card;
  };

  const refresh = async () => {
    setError(undefined);
    setBusy('refresh');
    try {
      const card = await latest();
      if (card?.lastOrderId === order.omPrOrderId && card.orderState === '03') props.onPaid(card);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(undefined);
    }
  };

  const pay = async () => {
    setError(undefined);
    setBusy('pay');
    try {
      const answer = await api.wechatPay(order.omPrOrderId);
      await payAtWechat(answer);
      // WeChat tells the server (its notify); the card shows the payment once it has arrived.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const card = await latest();
        if (card && card.lastOrderId === order.omPrOrderId && card.orderState === '03') {
          props.onPaid(card);
          return;
        }
        if (Date.now() > deadline) {
          setError('支付结果确认中，请稍后点击“刷新”查看');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    } catch (e) {
      setError(messageOf(e, '支付失败，请稍后再试'));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div className="page">
      {step === 'review' && (
        <Result
          status="waiting"
          title="审核中"
          description="资料已提交，停车管理员审核通过后即可支付"
          data-testid="order-review"
        />
      )}
      {step === 'refused' && (
        <Result status="error" title="审核未通过" description="请联系停车管理员了解原因" />
      )}
      {step === 'pay' && (
        <Result status="info" title="待支付" description="请在 5 分钟内完成支付，超时订单将自动关闭" />
      )}
      {step === 'closed' && (
        <Result
          status="warning"
          title={ORDER_STATE_LABELS[order.state ?? ''] ?? '订单已关闭'}
          description="该订单已不能支付"
        />
      )}
      <List header="订单信息" mode="card">
        <List.Item
          extra={
            <span className="mono" data-testid="order-id">
              {order.omPrOrderId}
            </span>
          }
        >
          订单号
        </List.Item>
        {order.productName && <List.Item extra={order.productName}>产品</List.Item>}
        <List.Item extra={<span data-testid="order-amount">{yuan(order.amount)}</span>}>订单金额</List.Item>
        {order.startDt && (
          <List.Item extra={`${beijingDate(order.startDt)} 至 ${beijingDate(order.endDt)}`}>
            购买时段
          </List.Item>
        )}
        <List.Item extra={ORDER_STATE_LABELS[order.state ?? ''] ?? '—'}>支付状态</List.Item>
        {order.auditStateBeforePay && (
          <List.Item extra={AUDIT_LABELS[order.auditStateBeforePay] ?? order.auditStateBeforePay}>
            审核状态
          </List.Item>
        )}
      </List>
      <ErrorNotice msg={error} />
      <div className="actions">
        {step === 'pay' && (
          <Button
            block
            color="success"
            size="large"
            loading={busy === 'pay'}
            disabled={busy !== undefined}
            onClick={pay}
          >
            微信支付
          </Button>
        )}
        {step === 'review' && (
          <Button
            block
            color="primary"
            size="large"
            loading={busy === 'refresh'}
            disabled={busy !== undefined}
            onClick={refresh}
          >
            刷新审核状态
          </Button>
        )}
        <Button block fill="outline" size="large" disabled={busy === 'pay'} onClick={props.onBack}>
          返回我的车位
        </Button>
      </div>
    </div>
  );
}

function PaidPage({ card, order, onBack }: { card: CardView; order: OrderView; onBack: () => void }) {
  return (
    <div className="page">
      <Result
        status="success"
        title="支付成功"
        description={
          <span>
            车位有效期至 <b data-testid="new-end-date">{beijingDate(card.endDt)}</b>
          </span>
        }
      />
      <List header="车位" mode="card">
        <List.Item extra={`${beijingDate(card.startDt)} 至 ${beijingDate(card.endDt)}`}>有效期</List.Item>
        <List.Item extra={yuan(card.orderAmount ?? order.amount)}>支付金额</List.Item>
        <List.Item extra={<span className="mono">{order.omPrOrderId}</span>}>订单号</List.Item>
      </List>
      <div className="actions">
        <Button block color="primary" size="large" onClick={onBack}>
          返回我的车位
        </Button>
      </div>
    </div>
  );
}
