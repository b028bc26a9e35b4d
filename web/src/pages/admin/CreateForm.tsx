import { ModalForm } from '@ant-design/pro-components';
import { Alert, App, Button, Form } from 'antd';
import { type ReactElement, type ReactNode, useState } from 'react';
import { showFieldErrors } from '../../api/form-errors';

interface CreateFormProps<Values> {
  /** The form's title, and the text of the button that opens it. */
  title: string;
  /** Opens the form instead of that primary button (a row's 编辑 link). */
  trigger?: ReactElement;
  /** What a success says. */
  done: string;
  send: (values: Values) => Promise<unknown>;
  /** After a success: reload the list. */
  onDone: () => void;
  children: ReactNode;
  initialValues?: Partial<Values>;
}

/**
 * An admin list's 新增 (or a row's 编辑) form in a dialog: the server checks every field, and each
 * error it names is shown on that field; the others (and a refusal naming none) above the form.
 * The dialog stays open until the server accepts.
 */
export function CreateForm<Values extends object>({
  title,
  trigger,
  done,
  send,
  onDone,
  children,
  initialValues,
}: CreateFormProps<Values>) {
  const [form] = Form.useForm<Values>();
  const [alert, setAlert] = useState<string>();
  const { message } = App.useApp();
  return (
    <ModalForm<Values>
      title={title}
      form={form}
      width={520}
      layout="horizontal"
      labelCol={{ span: 6 }}
      initialValues={initialValues}
      trigger={trigger ?? <Button type="primary">{title}</Button>}
      modalProps={{ destroyOnHidden: true, onCancel: () => setAlert(undefined) }}
      onFinish={async (values) => {
        setAlert(undefined);
        try {
          await send(values);
        } catch (error) {
          const rest = showFieldErrors(form, error);
          if (rest.length) setAlert(rest.map((e) => e.error).join('；'));
          return false;
        }
        message.success(done);
        onDone();
        return true;
      }}
    >
      {alert && <Alert type="error" showIcon message={alert} style={{ marginBottom: 16 }} />}
      {children}
    </ModalForm>
  );
}
