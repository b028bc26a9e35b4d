import { ModalForm } from '@ant-design/pro-components';
import { Alert, Form } from 'antd';
import { type ReactElement, type ReactNode, useState } from 'react';
import { showFieldErrors } from '../api/form-errors';

export interface ActionFormProps<T extends object> {
  title: string;
  /** What opens the dialog (a button). */
  trigger: ReactElement;
  okText?: string;
  width?: number;
  initialValues?: Partial<T>;
  /** The call; a refusal keeps the dialog open, its errors on the fields they name. */
  onSubmit(values: T): Promise<unknown>;
  children: ReactNode;
}

/**
 * A back-office form in a dialog that sends one call: submitting is the confirmation, the
 * server's field errors land on the fields they name and the rest of its refusal above them,
 * and the dialog closes only when the server said yes.
 */
export default function ActionForm<T extends object>({
  title,
  trigger,
  okText = '确定',
  width = 520,
  initialValues,
  onSubmit,
  children,
}: ActionFormProps<T>) {
  const [form] = Form.useForm<T>();
  const [refusal, setRefusal] = useState<string>();
  return (
    <ModalForm<T>
      title={title}
      form={form}
      width={width}
      trigger={trigger}
      initialValues={initialValues}
      modalProps={{ destroyOnHidden: true, okText, onCancel: () => setRefusal(undefined) }}
      onFinish={async (values) => {
        setRefusal(undefined);
        try {
          await onSubmit(values);
          return true;
        } catch (error) {
          const rest = showFieldErrors(form, error);
          if (rest.length) setRefusal(rest.map((e) => e.error).join('；'));
          return false;
        }
      }}
    >
      {refusal && <Alert type="error" showIcon message={refusal} style={{ marginBottom: 16 }} />}
      {children}
    </ModalForm>
  );
}
