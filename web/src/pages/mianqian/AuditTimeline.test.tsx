import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Staff } from '../../api/auth';
import { parsePosition } from '../../api/loans';
import { AuditTimeline, actorText, positionText } from './AuditTimeline';

const me: Staff = { id: 3, username: 'demo-mianqian', display_name: '王面签', roles: ['mianqian'] };

describe('the audit trail', () => {
  it("reads the server's positions and says them in Chinese", () => {
    const say = (text: string) => {
      const position = parsePosition(text);
      return position && positionText(position);
    };
    expect(say('quanzheng')).toBe('权证');
    expect(say('kefu (bohui:mianqian)')).toBe('客服（面签驳回）');
    expect(say('stopped@shencha')).toBe('已终止（审查）');
    expect(say('approved')).toBe('审批通过');
    expect(say('somewhere')).toBeUndefined();
    expect(parsePosition(null)).toBeUndefined();
  });

  it('names every clerk by the name the trail gives, the reader marked, and the machines in words', () => {
    const name = (actor: string, actor_name: string | null) => actorText({ actor, actor_name }, me);
    expect(name('staff:3', '王面签')).toBe('王面签（本人）');
    expect(name('staff:12', '李面审')).toBe('李面审');
    expect(name('system', null)).toBe('系统');
    expect(name('partner:rong360', null)).toBe('合作方 rong360');
    // An account the trail no longer names is shown as the trail writes it.
    expect(name('staff:99', null)).toBe('staff:99');
  });

  it('shows each step with what, when, from where to where, who and why', () => {
    render(
      <AuditTimeline
        me={me}
        entries={[
          {
            id: 1,
            actor: 'staff:3',
            actor_name: '王面签',
            entity: 'loan_order',
            entity_id: '1602261137470',
            action: 'return_kefu',
            from_state: 'mianqian',
            to_state: 'kefu (bohui:mianqian)',
            reason: '缺少婚姻证明',
            created_at: '2026-11-30 10:00:00',
          },
        ]}
      />,
    );
    const step = screen.getByTestId('audit-entry');
    expect(step).toHaveTextContent('返回客服');
    expect(step).toHaveTextContent('2026-11-30 10:00:00');
    expect(step).toHaveTextContent('面签 → 客服（面签驳回）');
    expect(step).toHaveTextContent('操作人：王面签（本人）');
    expect(step).toHaveTextContent('原因：缺少婚姻证明');
  });
});
