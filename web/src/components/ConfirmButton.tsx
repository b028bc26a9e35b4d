import { Button, type ButtonProps, Popconfirm } from 'antd';

export interface ConfirmButtonProps {
  label: string;
  /** The question the clerk answers, e.g. 通过审核？ */
  title: string;
  description?: string;
  /** The confirming button's text. */
  okText: string;
  disabled?: boolean;
  type?: ButtonProps['type'];
  size?: ButtonProps['size'];
  /** The call; the confirmation shows it running. A failure is the caller's to show. */
  onConfirm(): Promise<unknown>;
}

/** A move that needs only a yes: a button and a confirmation that stays open while the call runs. */
export default function ConfirmButton({
  label,
  title,
  description,
  okText,
  disabled,
  type,
  size,
  onConfirm,
}: ConfirmButtonProps) {
  return (
    <Popconfirm
      title={title}
      description={description}
      okText={okText}
      disabled={disabled}
      onConfirm={() => onConfirm().catch(() => undefined)}
    >
      <Button type={type} size={size} disabled={disabled}>
        {label}
      </Button>
    </Popconfirm>
  );
}
