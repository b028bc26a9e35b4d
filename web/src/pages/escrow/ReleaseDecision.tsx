import { Space, Tooltip } from 'antd';
import type { ReactElement } from 'react';
import { approveRelease, type EscrowRelease, PAYOUT_STATE_LABELS, rejectRelease } from '../../api/escrow';
import ConfirmButton from '../../components/ConfirmButton';
import ReasonButton from '../../components/ReasonButton';
import { formatFenYuan } from '../../format-money';

export interface ReleaseDecisionProps {
  release: EscrowRelease;
  /**
   * The reader made the request (the queue knows it): the server refuses them either decision,
   * so the buttons are off and say why instead of sending a call bound to be refused.
   */
  mine?: boolean;
  /** A confirmed move: the page says its outcome or the server's refusal, then reads again. */
  act<T>(call: () => Promise<T>, text: (answer: T) => string): Promise<unknown>;
  /** The same from a dialog, which keeps a refusal in the dialog. */
  actInDialog<T>(call: () => Promise<T>, text: (answer: T) => string): Promise<unknown>;
}

const OWN_REQUEST = '本人提出的申请不能由本人审批';

/** A disabled button takes no hover, so the tooltip listens on a wrapper. */
const explained = (mine: boolean, button: ReactElement) =>
  mine ? (
    <Tooltip title={OWN_REQUEST}>
      <span style={{ display: 'inline-block', cursor: 'not-allowed' }}>{button}</span>
    </Tooltip>
  ) : (
    button
  );

/**
 * The checker's decision on a release or refund request, the same on the order's page and in the
 * queue: approve (money moves, the payout starts) or reject with a reason while it waits; who
 * decided, when and why once it is decided.
 */
export default function ReleaseDecision({
  release: r,
  mine = false,
  act,
  actInDialog,
}: ReleaseDecisionProps) {
  if (r.state !== 'requested')
    return (
      <span>
        {r.decided_by} {r.decided_at}
        {r.decision_reason ? `：${r.decision_reason}` : ''}
      </span>
    );
  return (
    <Space>
      {explained(
        mine,
        <ConfirmButton
          label="审批通过"
          title={`审批通过${r.kind_label} ${formatFenYuan(r.amount)}？`}
          description="通过后资金划出监管账户并发起付款"
          okText="通过"
          type="primary"
          size="small"
          disabled={mine}
          onConfirm={() =>
            act(
              () => approveRelease(r.id),
              ({ payout }) =>
                `已审批通过申请 ${r.id}，付款 ${payout.payout_no}：${PAYOUT_STATE_LABELS[payout.state]}`,
            )
          }
        />,
      )}
      {explained(
        mine,
        <ReasonButton
          label="驳回"
          prompt={`驳回${r.kind_label}申请 ${r.id}（${formatFenYuan(r.amount)}），资金不划出。`}
          danger
          disabled={mine}
          onSubmit={(reason) =>
            actInDialog(
              () => rejectRelease(r.id, reason),
              () => `已驳回申请 ${r.id}`,
            )
          }
        />,
      )}
    </Space>
  );
}
