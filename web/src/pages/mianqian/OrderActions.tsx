import { App, Button, Checkbox, Form, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { TRANSITION_LABELS, type Transition } from '../../../../src/modules/loan-orders/loan-order-state';
import { type MoveResult, moveOrder } from '../../api/loans';
import { useServerSubmit } from './server-form';

/**
 * 通过 / 返回客服 / 终止 at the order's current stage, each confirmed in a dialog that takes the
 * reason (and, for a stop, whether it is for cause: 不良记录). The server checks the role and the
 * stage; its refusal shows in the dialog.
 */
export function OrderActions({
  sonOrderId,
  canReturn,
  onMoved,
}: {
  sonOrderId: string;
  /** 客服 has no 客服 to return to. */
  canReturn: boolean;
  onMoved: (result: MoveResult) => void;
}) {
  const [move, setMove] = useState<Transition>();
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { submit, submitting, alert } = useServerSubmit(form, (values) =>
    moveOrder(sonOrderId, move ?? 'pass', {
      ...(typeof values.reason === 'string' && values.reason.trim() ? { reason: values.reason.trim() } : {}),
      ...(move === 'stop' && values.bad_record ? { bad_record: 1 } : {}),
    }),
  );

  // The dialog's form goes with it (destroyOnHidden, preserve=false): each opens blank.
  const open = setMove;
  const confirm = async () => {
    const moved = await submit();
    if (!moved || !move) return;
    message.success(`订单已${TRANSITION_LABELS[move]}`);
    setMove(undefined);
    onMoved(moved.answer);
  };

  const label = move ? TRANSITION_LABELS[move] : '';
  return (
    <>
      <Space>
        <Button type="primary" onClick={() => open('pass')}>
          通过
        </Button>
        {canReturn && <Button onClick={() => open('return_kefu')}>返回客服</Button>}
        <Button danger onClick={() => open('stop')}>
          终止
        </Button>
      </Space>
      <Modal
        open={move !== undefined}
        title={`确认${label}订单 ${sonOrderId}？`}
        okText={`确认${label}`}
        okButtonProps={{ danger: move === 'stop', loading: submitting }}
        cancelText="取消"
        onOk={confirm}
        onCancel={() => setMove(undefined)}
        destroyOnHidden
      >
        {alert}
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="reason" label={move === 'pass' ? '意见（选填）' : '原因'}>
            <Input.TextArea rows={3} maxLength={1000} showCount />
          </Form.Item>
          {move === 'stop' && (
            <Form.Item name="bad_record" valuePropName="checked" extra="终止后订单不能再办理。">
              <Checkbox>记为不良记录</Checkbox>
            </Form.Item>
          )}
        </Form>
      </Modal>
    </>
  );
}
