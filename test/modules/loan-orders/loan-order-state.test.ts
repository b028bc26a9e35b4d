import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describePosition,
  isStage,
  nextPosition,
  STAGE_LABELS,
  STAGES,
  SUGGEST_TYPE_OF_STAGE,
  TRANSITION_LABELS,
  type WorkflowPosition,
  withDesk,
} from '../../../src/modules/loan-orders/loan-order-state.js';

const at = (
  stage: WorkflowPosition['stage'],
  bohui_stage: WorkflowPosition['bohui_stage'] = null,
): WorkflowPosition => ({
  stage,
  state: 'open',
  bohui_stage,
});

describe('loan order workflow', () => {
  it('runs 客服 → 面审 → 面签 → 权证 → 审查 → 终审, with the spec’s labels and suggest types', () => {
    assert.deepEqual(STAGES, ['kefu', 'mianshen', 'mianqian', 'quanzheng', 'shencha', 'zhongshen']);
    assert.deepEqual(
      STAGES.map((s) => STAGE_LABELS[s]),
      ['客服', '面审', '面签', '权证', '审查', '终审'],
    );
    assert.deepEqual(
      STAGES.map((s) => SUGGEST_TYPE_OF_STAGE[s]),
      [0, 1, 7, 2, 4, 3],
    );
    assert.deepEqual(TRANSITION_LABELS, { pass: '通过', return_kefu: '返回客服', stop: '终止' });
  });

  it('passes each stage to the next one, the order sitting on the desk of its stage', () => {
    for (let i = 0; i < STAGES.length - 1; i++) {
      assert.deepEqual(nextPosition(at(STAGES[i]!), 'pass'), {
        stage: STAGES[i + 1],
        state: 'open',
        bohui_stage: null,
        desk: STAGES[i + 1],
        is_bohui: 0,
      });
    }
  });

  it('approves on passing 终审: it leaves every desk', () => {
    assert.deepEqual(nextPosition(at('zhongshen'), 'pass'), {
      stage: 'zhongshen',
      state: 'approved',
      bohui_stage: null,
      desk: null,
      is_bohui: 0,
    });
  });

  it('returns to 客服 from any later stage as 驳回, listed on the returning stage’s desk', () => {
    for (const stage of STAGES.slice(1)) {
      assert.deepEqual(nextPosition(at(stage), 'return_kefu'), {
        stage: 'kefu',
        state: 'open',
        bohui_stage: stage,
        desk: stage,
        is_bohui: 1,
      });
    }
    assert.deepEqual(nextPosition(at('kefu'), 'return_kefu'), { refused: '订单已在客服阶段，无需返回' });
    assert.deepEqual(nextPosition(at('kefu', 'mianqian'), 'return_kefu'), {
      refused: '订单已在客服阶段，无需返回',
    });
  });

  it('keeps the 驳回 mark while passing back up, and clears it on reaching the stage that returned it', () => {
    const returned = at('kefu', 'mianqian');
    assert.deepEqual(nextPosition(returned, 'pass'), {
      stage: 'mianshen',
      state: 'open',
      bohui_stage: 'mianqian',
      desk: 'mianqian',
      is_bohui: 1,
    });
    assert.deepEqual(nextPosition(at('mianshen', 'mianqian'), 'pass'), {
      stage: 'mianqian',
      state: 'open',
      bohui_stage: null,
      desk: 'mianqian',
      is_bohui: 0,
    });
    assert.deepEqual(nextPosition(at('kefu', 'mianshen'), 'pass'), {
      stage: 'mianshen',
      state: 'open',
      bohui_stage: null,
      desk: 'mianshen',
      is_bohui: 0,
    });
  });

  it('stops from any stage, keeping where it stopped but leaving every desk', () => {
    for (const stage of STAGES) {
      assert.deepEqual(nextPosition(at(stage), 'stop'), {
        stage,
        state: 'stopped',
        bohui_stage: null,
        desk: null,
        is_bohui: 0,
      });
    }
    assert.deepEqual(nextPosition(at('kefu', 'shencha'), 'stop'), {
      stage: 'kefu',
      state: 'stopped',
      bohui_stage: 'shencha',
      desk: null,
      is_bohui: 0,
    });
  });

  it('refuses every move of a stopped or approved order, saying which', () => {
    for (const transition of ['pass', 'return_kefu', 'stop'] as const) {
      assert.deepEqual(nextPosition({ stage: 'mianqian', state: 'stopped', bohui_stage: null }, transition), {
        refused: '订单已终止，不能再操作',
      });
      assert.deepEqual(
        nextPosition({ stage: 'zhongshen', state: 'approved', bohui_stage: null }, transition),
        {
          refused: '订单已审批完成，不能再操作',
        },
      );
    }
  });

  it('derives desk and is_bohui from a position', () => {
    assert.deepEqual(withDesk(at('quanzheng')), { ...at('quanzheng'), desk: 'quanzheng', is_bohui: 0 });
    assert.deepEqual(withDesk(at('kefu', 'zhongshen')), {
      ...at('kefu', 'zhongshen'),
      desk: 'zhongshen',
      is_bohui: 1,
    });
    assert.deepEqual(withDesk({ stage: 'kefu', state: 'stopped', bohui_stage: 'zhongshen' }), {
      stage: 'kefu',
      state: 'stopped',
      bohui_stage: 'zhongshen',
      desk: null,
      is_bohui: 0,
    });
  });

  it('describes positions for logs and audit', () => {
    assert.equal(describePosition(at('mianshen')), 'mianshen');
    assert.equal(describePosition(at('kefu', 'shencha')), 'kefu (bohui:shencha)');
    assert.equal(
      describePosition({ stage: 'quanzheng', state: 'stopped', bohui_stage: null }),
      'stopped@quanzheng',
    );
    assert.equal(describePosition({ stage: 'zhongshen', state: 'approved', bohui_stage: null }), 'approved');
  });

  it('knows its stage names exactly', () => {
    assert.equal(isStage('mianqian'), true);
    assert.equal(isStage('admin'), false);
    assert.equal(isStage('Mianqian'), false);
    assert.equal(isStage(''), false);
  });
});
