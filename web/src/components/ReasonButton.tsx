import { ProFormTextArea } from '@ant-design/pro-components';
import { Button, type ButtonProps } from 'antd';
import ActionForm from './ActionForm';

export interface ReasonButtonProps {
  /** The button's and the dialog's title, e.g. 审核拒绝. */
  label: string;
  /** What the clerk confirms, shown above the reason. */
  prompt: string;
  maxLength?: number;
  disabled?: boolean;
  danger?: ButtonProps['danger'];
  /** The call; a refusal keeps the dialog open with the server's words. */
  onSubmit(reason: string): Promise<unknown>;
}

/**
 * A move that needs a reason (refuse, refund, reject): a button, then a dialog asking for the
 * reason as its confirmation; the server's refusal shows in the dialog, on the reason when it
 * names the body's `reason`.
 */
export default function ReasonButton({
  label,
  prompt,
  maxLength = 200,
  disabled,
  danger,
  onSubmit,
}: ReasonButtonProps) {
  return (
    <ActionForm<{ reason: string }>
      title={label}
      okText={`确认${label}`}
      width={480}
      trigger={
        <Button danger={danger} disabled={disabled}>
          {label}
        </Button>
      }
      onSubmit={(values) => onSubmit(values.reason.trim())}
    >
      <p>{prompt}</p>
      <ProFormTextArea
        name="reason"
        label="原因"
        rules={[{ required: true, whitespace: true, message: '请填写原因' }]}
        fieldProps={{ maxLength, showCount: true, rows: 3 }}
      />
    </ActionForm>
  );
}
