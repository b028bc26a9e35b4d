import {
  Button,
  Card,
  Dialog,
  ErrorBlock,
  Input,
  List,
  NoticeBar,
  Result,
  SpinLoading,
  TextArea,
  Toast,
} from 'antd-mobile';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api, type InvitationView, tokenFromLocation } from './api';
import { AMOUNT_TYPE_LABELS, beijingTime, CONTRACT_TYPE_LABELS, ROLE_LABELS, yuan } from './format';

const COUNTDOWN_SECONDS = 60;

type Outcome = 'accepted_waiting' | 'signed' | 'declined' | 'timed_out';

type Screen =
  | { kind: 'loading' }
  | { kind: 'missing'; msg: string }
  | { kind: 'terms'; view: InvitationView }
  | { kind: 'result'; outcome: Outcome; view: InvitationView };

/** Where an invitation that can no longer be decided by this party stands, or undefined while it can. */
function outcomeOf(view: InvitationView): Outcome | undefined {
  if (view.state === 'signed') return 'signed';
  if (view.state === 'declined') return 'declined';
  if (view.state === 'timed_out') return 'timed_out';
  if (view.party.declined_at !== null) return 'declined';
  if (view.party.accepted_at !== null) return 'accepted_waiting';
  return undefined;
}

export function App() {
  const token = tokenFromLocation(window.location.pathname);
  const [screen, setScreen] = useState<Screen>({ kind: 'loading' });

  const load = useCallback(async () => {
    if (!token) {
      setScreen({ kind: 'missing', msg: '链接不完整，请从短信或经纪人发来的链接重新打开' });
      return;
    }
    try {
      const view = await api.view(token);
      const outcome = outcomeOf(view);
      setScreen(outcome ? { kind: 'result', outcome, view } : { kind: 'terms', view });
    } catch (error) {
      setScreen({
        kind: 'missing',
        msg: error instanceof ApiError ? error.message : '页面加载失败，请稍后再试',
      });
    }
  }, [token]);

  useEffect(() => {
    void load();
  }, [load]);

  switch (screen.kind) {
    case 'loading':
      return (
        <div className="center" data-testid="loading">
          <SpinLoading color="primary" />
        </div>
      );
    case 'missing':
      return (
        <div className="page">
          <ErrorBlock status="empty" title="无法打开邀约" description={screen.msg} fullPage />
        </div>
      );
    case 'result':
      return <OutcomePage outcome={screen.outcome} view={screen.view} />;
    case 'terms':
      return (
        <TermsPage
          token={token}
          view={screen.view}
          onDecided={(outcome) => setScreen({ kind: 'result', outcome, view: screen.view })}
          onStale={() => {
            setScreen({ kind: 'loading' });
            void load();
          }}
        />
      );
  }
}

function Amount({ fen }: { fen: number | null | undefined }) {
  return fen === null || fen === undefined ? <>—</> : <span className="amount">{yuan(fen)} 元</span>;
}

function TermsCard({ view }: { view: InvitationView }) {
  const { terms } = view;
  return (
    <>
      <List header="交易信息" mode="card">
        <List.Item title="房源地址">{terms.house_address}</List.Item>
        <List.Item extra={<Amount fen={terms.house_deal_price} />}>成交总价</List.Item>
        <List.Item extra={<Amount fen={terms.deposit_amount} />}>定金</List.Item>
        <List.Item extra={<Amount fen={terms.first_pay_amount} />}>首付</List.Item>
        <List.Item extra={<Amount fen={terms.loan_amount} />}>贷款</List.Item>
        <List.Item extra={<Amount fen={terms.final_pay_amount} />}>尾款</List.Item>
        <List.Item extra={<Amount fen={terms.service_fee_amount} />}>服务费</List.Item>
      </List>
      <List header="合同" mode="card">
        {terms.house_contract_infos.length === 0 ? (
          <List.Item>无</List.Item>
        ) : (
          terms.house_contract_infos.map((contract, i) => (
            <List.Item
              key={i}
              description={
                contract.depository_amount_types.length > 0
                  ? `资金监管：${contract.depository_amount_types.map((t) => AMOUNT_TYPE_LABELS[t] ?? t).join('、')}`
                  : undefined
              }
              extra={contract.contract_online_flag === 'Y' ? '线上签约' : '线下签约'}
            >
              {CONTRACT_TYPE_LABELS[contract.contract_type] ?? contract.contract_type}
              {contract.offline_contract_no ? `（${contract.offline_contract_no}）` : ''}
            </List.Item>
          ))
        )}
      </List>
      <List header="签约信息" mode="card">
        <List.Item extra={beijingTime(view.deadline_at)} description="北京时间">
          签约截止时间
        </List.Item>
        <List.Item extra={ROLE_LABELS[view.party.role] ?? view.party.role}>您的身份</List.Item>
        <List.Item extra={view.party.name}>姓名</List.Item>
        <List.Item extra={<span data-testid="party-phone">{view.party.phone}</span>}>手机号</List.Item>
        <List.Item
          extra={view.parties
            .map((p) => `${ROLE_LABELS[p.role] ?? p.role}${p.name}${p.accepted ? '已同意' : '待确认'}`)
            .join('；')}
        >
          各方进度
        </List.Item>
      </List>
    </>
  );
}

function TermsPage(props: {
  token: string;
  view: InvitationView;
  onDecided: (outcome: Outcome) => void;
  onStale: () => void;
}) {
  const { token, view } = props;
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const [sending, setSending] = useState(false);
  const [sentTo, setSentTo] = useState<string>();
  const [countdown, setCountdown] = useState(0);
  const [busy, setBusy] = useState<'accept' | 'decline'>();
  const [declineOpen, setDeclineOpen] = useState(false);
  const [reason, setReason] = useState('');
  const timer = useRef<number>();

  useEffect(() => () => window.clearInterval(timer.current), []);

  const startCountdown = () => {
    setCountdown(COUNTDOWN_SECONDS);
    window.clearInterval(timer.current);
    timer.current = window.setInterval(() => {
      setCountdown((left) => {
        if (left <= 1) window.clearInterval(timer.current);
        return left - 1;
      });
    }, 1000);
  };

  const sendCode = async () => {
    setSending(true);
    setCodeError(undefined);
    setFormError(undefined);
    try {
      const { phone } = await api.sendCode(token);
      setSentTo(phone);
      startCountdown();
      Toast.show({ content: '验证码已发送' });
    } catch (error) {
      setFormError(error instanceof ApiError ? error.message : '验证码发送失败，请稍后再试');
    } finally {
      setSending(false);
    }
  };

  const showRefusal = (error: unknown) => {
    if (!(error instanceof ApiError)) {
      setFormError('操作失败，请稍后再试');
      return;
    }
    const onCode = error.errors.find((e) => e.field === 'code');
    const others = error.errors.filter((e) => e.field !== 'code');
    setCodeError(onCode?.error);
    setFormError(
      others.length > 0 ? others.map((e) => e.error).join('；') : onCode ? undefined : error.message,
    );
  };

  const decide = async (kind: 'accept' | 'decline') => {
    setBusy(kind);
    setCodeError(undefined);
    setFormError(undefined);
    try {
      const answer =
        kind === 'accept'
          ? await api.accept(token, code, view.terms_hash)
          : await api.decline(token, code, view.terms_hash, reason.trim());
      setDeclineOpen(false);
      props.onDecided(
        answer.state === 'declined' ? 'declined' : answer.state === 'signed' ? 'signed' : 'accepted_waiting',
      );
    } catch (error) {
      setDeclineOpen(false);
      showRefusal(error);
    } finally {
      setBusy(undefined);
    }
  };

  const codeReady = /^\d{6}$/.test(code);

  return (
    <div className="page">
      <div className="page-title">二手房交易资金监管</div>
      <div className="page-subtitle">请核对以下交易信息，验证手机号后确认是否同意签约</div>
      <TermsCard view={view} />
      <List header="短信验证" mode="card">
        <List.Item
          extra={
            <Button
              size="small"
              color="primary"
              fill="outline"
              loading={sending}
              disabled={countdown > 0 || sending}
              onClick={sendCode}
            >
              {countdown > 0 ? `${countdown}秒后重新获取` : sentTo ? '重新获取' : '获取验证码'}
            </Button>
          }
        >
          <Input
            aria-label="验证码"
            placeholder="请输入6位验证码"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            value={code}
            onChange={(value) => {
              setCode(value.replace(/\D/g, '').slice(0, 6));
              setCodeError(undefined);
            }}
          />
        </List.Item>
      </List>
      {codeError && (
        <div className="field-error" role="alert" data-testid="code-error">
          {codeError}
        </div>
      )}
      {sentTo && <div className="hint">验证码已发送至 {sentTo}，5分钟内有效</div>}
      {formError && (
        <div className="form-error" role="alert" data-testid="form-error">
          <NoticeBar color="error" content={formError} wrap />
        </div>
      )}
      <div className="actions">
        <Button
          block
          color="primary"
          size="large"
          disabled={!codeReady || busy !== undefined}
          loading={busy === 'accept'}
          onClick={() => decide('accept')}
        >
          同意并签约
        </Button>
        <Button
          block
          color="danger"
          fill="outline"
          size="large"
          disabled={!codeReady || busy !== undefined}
          onClick={() => setDeclineOpen(true)}
        >
          拒绝
        </Button>
      </div>
      <div className="hint">点击“同意并签约”即表示您已阅读并同意上述交易信息，签约将以您的短信验证为准。</div>
      <Dialog
        visible={declineOpen}
        title="确认拒绝该邀约？"
        content={
          <div>
            <div style={{ marginBottom: 8, color: '#666' }}>拒绝后邀约即告结束，不能撤回。</div>
            <TextArea
              aria-label="拒绝原因"
              placeholder="请填写拒绝原因（选填，200字以内）"
              rows={3}
              maxLength={200}
              showCount
              value={reason}
              onChange={setReason}
            />
          </div>
        }
        closeOnMaskClick
        onClose={() => setDeclineOpen(false)}
        actions={[
          [
            { key: 'cancel', text: '取消', onClick: () => setDeclineOpen(false) },
            {
              key: 'confirm',
              text: '确认拒绝',
              danger: true,
              bold: true,
              disabled: busy !== undefined,
              onClick: () => decide('decline'),
            },
          ],
        ]}
      />
    </div>
  );
}

const OUTCOMES: Record<
  Outcome,
  { status: 'success' | 'waiting' | 'error' | 'warning'; title: string; text: string }
> = {
  accepted_waiting: {
    status: 'waiting',
    title: '已同意，等待对方',
    text: '您已同意签约，待交易各方均确认后签约生效。',
  },
  signed: { status: 'success', title: '双方已签约', text: '交易各方均已同意，资金监管签约已生效。' },
  declined: { status: 'error', title: '已拒绝', text: '该资金监管邀约已被拒绝，邀约结束。' },
  timed_out: {
    status: 'warning',
    title: '已超时',
    text: '已超过签约截止时间，该邀约已失效，请联系经纪人重新发起。',
  },
};

function OutcomePage({ outcome, view }: { outcome: Outcome; view: InvitationView }) {
  const { status, title, text } = OUTCOMES[outcome];
  return (
    <div className="page">
      <Result status={status} title={title} description={text} />
      <Card title="邀约信息" style={{ margin: 12 }}>
        <div>房源地址：{view.terms.house_address}</div>
        <div>
          成交总价：
          <Amount fen={view.terms.house_deal_price} />
        </div>
        <div>签约截止：{beijingTime(view.deadline_at)}（北京时间）</div>
      </Card>
    </div>
  );
}
