import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STAGES } from '../../../src/modules/loan-orders/loan-order-state.js';
import { isStaffRole, STAFF_ROLE_LABELS, STAFF_ROLES } from '../../../src/modules/staff/staff-roles.js';

describe('staff roles', () => {
  it('are one per workflow stage, in workflow order, plus admin, escrow and parking', () => {
    assert.deepEqual(STAFF_ROLES, [...STAGES, 'admin', 'escrow', 'parking']);
    assert.deepEqual(STAFF_ROLES, [
      'kefu',
      'mianshen',
      'mianqian',
      'quanzheng',
      'shencha',
      'zhongshen',
      'admin',
      'escrow',
      'parking',
    ]);
  });

  it('carry the stage labels, 管理员, 资金监管 and 停车管理', () => {
    assert.deepEqual(STAFF_ROLE_LABELS, {
      kefu: '客服',
      mianshen: '面审',
      mianqian: '面签',
      quanzheng: '权证',
      shencha: '审查',
      zhongshen: '终审',
      admin: '管理员',
      escrow: '资金监管',
      parking: '停车管理',
    });
  });

  it('recognise exactly their own names', () => {
    for (const role of STAFF_ROLES) assert.equal(isStaffRole(role), true, role);
    for (const other of ['Admin', 'ADMIN', 'root', '', ' admin', 'kefu ', '客服', 'toString', '__proto__']) {
      assert.equal(isStaffRole(other), false, JSON.stringify(other));
    }
  });
});
