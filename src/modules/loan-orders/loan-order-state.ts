/**
 * The loan workflow: 客服 → 面审 → 面签 → 权证 → 审查 → 终审. From any stage after 客服 an order
 * can be returned to 客服 (驳回: it stays marked until it comes back to the stage that returned
 * it) or stopped (终止). Passing 终审 approves it.
 */
export const STAGES = ['kefu', 'mianshen', 'mianqian', 'quanzheng', 'shencha', 'zhongshen'] as const;
export type Stage = (typeof STAGES)[number];

export const ORDER_STATES = ['open', 'stopped', 'approved'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const STAGE_LABELS: Record<Stage, string> = {
  kefu: '客服',
  mianshen: '面审',
  mianqian: '面签',
  quanzheng: '权证',
  shencha: '审查',
  zhongshen: '终审',
};

/** suggest_type as the spec numbers it: 0客服 1面审 2权证 3终审 4审查A 5审查B 6面审返回 7面签. */
export const SUGGEST_TYPE_OF_STAGE: Record<Stage, number> = {
  kefu: 0,
  mianshen: 1,
  quanzheng: 2,
  zhongshen: 3,
  shencha: 4,
  mianqian: 7,
};

export type Transition = 'pass' | 'return_kefu' | 'stop';

export const TRANSITION_LABELS: Record<Transition, string> = {
  pass: '通过',
  return_kefu: '返回客服',
  stop: '终止',
};

export interface WorkflowPosition {
  stage: Stage;
  state: OrderState;
  bohui_stage: Stage | null;
}

export interface WorkflowMove extends WorkflowPosition {
  desk: Stage | null;
  is_bohui: number;
}

/** Where an order lands after `transition`, or the reason it may not move. */
export function nextPosition(
  from: WorkflowPosition,
  transition: Transition,
): WorkflowMove | { refused: string } {
  if (from.state !== 'open') {
    return { refused: from.state === 'stopped' ? '订单已终止，不能再操作' : '订单已审批完成，不能再操作' };
  }
  switch (transition) {
    case 'pass': {
      const index = STAGES.indexOf(from.stage);
      const next = STAGES[index + 1];
      if (!next) return withDesk({ stage: from.stage, state: 'approved', bohui_stage: from.bohui_stage });
      return withDesk({
        stage: next,
        state: 'open',
        bohui_stage: from.bohui_stage === next ? null : from.bohui_stage,
      });
    }
    case 'return_kefu':
      if (from.stage === 'kefu') return { refused: '订单已在客服阶段，无需返回' };
      return withDesk({ stage: 'kefu', state: 'open', bohui_stage: from.stage });
    case 'stop':
      return withDesk({ stage: from.stage, state: 'stopped', bohui_stage: from.bohui_stage });
  }
}

export function withDesk(position: WorkflowPosition): WorkflowMove {
  const desk = position.state === 'open' ? (position.bohui_stage ?? position.stage) : null;
  return { ...position, desk, is_bohui: position.state === 'open' && position.bohui_stage ? 1 : 0 };
}

export function describePosition(p: WorkflowPosition): string {
  if (p.state === 'stopped') return `stopped@${p.stage}`;
  if (p.state === 'approved') return 'approved';
  return p.bohui_stage ? `${p.stage} (bohui:${p.bohui_stage})` : p.stage;
}

export function isStage(value: string): value is Stage {
  return (STAGES as readonly string[]).includes(value);
}
