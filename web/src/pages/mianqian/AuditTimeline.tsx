import { Empty, Space, Timeline, Typography } from 'antd';
import { STAGE_LABELS, TRANSITION_LABELS } from '../../../../src/modules/loan-orders/loan-order-state';
import type { Staff } from '../../api/auth';
import { type AuditEntry, type Position, parsePosition } from '../../api/loans';

const ACTIONS: Record<string, string> = {
  create: '开单',
  ...TRANSITION_LABELS,
  save_borrow_info: '保存借款信息',
  save_house_info: '保存房产信息',
  save_customer_info: '保存客户信息',
  save_suggest: '保存面签建议',
};
const COLORS: Record<string, string> = { create: 'blue', pass: 'green', return_kefu: 'orange', stop: 'red' };

/** Where an order stands, in words: 权证, 客服（面签驳回）, 已终止（审查）, 审批通过. */
export function positionText(position: Position): string {
  switch (position.state) {
    case 'approved':
      return '审批通过';
    case 'stopped':
      return `已终止（${STAGE_LABELS[position.stage]}）`;
    case 'open':
      return position.bohui_stage
        ? `${STAGE_LABELS[position.stage]}（${STAGE_LABELS[position.bohui_stage]}驳回）`
        : STAGE_LABELS[position.stage];
  }
}

const stateText = (text: string | null) => {
  const position = parsePosition(text);
  return position ? positionText(position) : (text ?? '—');
};

/**
 * Who acted: a clerk by the name the trail gives (the reader marked 本人), the machines in words,
 * and an actor the trail cannot name as it is written.
 */
export function actorText(
  { actor, actor_name }: Pick<AuditEntry, 'actor' | 'actor_name'>,
  me: Staff,
): string {
  if (actor_name !== null) return actor === `staff:${me.id}` ? `${actor_name}（本人）` : actor_name;
  const [kind, id] = actor.split(':', 2);
  if (kind === 'system') return '系统';
  if (kind === 'partner') return `合作方 ${id}`;
  return actor;
}

/** The order's audit trail, oldest first: what was done, when (Beijing), by whom, from where to where, why. */
export function AuditTimeline({ entries, me }: { entries: readonly AuditEntry[]; me: Staff }) {
  if (entries.length === 0) return <Empty description="暂无流转记录" />;
  return (
    <Timeline
      items={entries.map((entry) => ({
        key: entry.id,
        color: COLORS[entry.action] ?? 'gray',
        children: (
          <Space direction="vertical" size={0} data-testid="audit-entry">
            <Space>
              <Typography.Text strong>{ACTIONS[entry.action] ?? entry.action}</Typography.Text>
              <Typography.Text type="secondary">{entry.created_at}</Typography.Text>
            </Space>
            {entry.from_state !== entry.to_state && (
              <Typography.Text>
                {entry.from_state === null ? '' : `${stateText(entry.from_state)} → `}
                {stateText(entry.to_state)}
              </Typography.Text>
            )}
            <Typography.Text type="secondary">操作人：{actorText(entry, me)}</Typography.Text>
            {entry.reason && <Typography.Text>原因：{entry.reason}</Typography.Text>}
          </Space>
        ),
      }))}
    />
  );
}
