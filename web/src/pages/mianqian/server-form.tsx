import { Alert, type FormInstance } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { showFieldErrors } from '../../api/form-errors';

/** A form's values as the server takes them: dates in `format`, blanks left out. */
export function formBody(values: Record<string, unknown>, format = 'YYYY-MM-DD'): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    body[field] = dayjs.isDayjs(value) ? value.format(format) : value;
  }
  return body;
}

/**
 * Sends a form to the server, which holds every rule: each refused field gets its message, the
 * rest of the refusal shows above the form (`alert`). Only the fields on screen are sent
 * (getFieldsValue()), so a section the form hides (a spouse no longer married) is not.
 */
export function useServerSubmit<T>(form: FormInstance, send: (body: Record<string, unknown>) => Promise<T>) {
  const [submitting, setSubmitting] = useState(false);
  const [refusal, setRefusal] = useState<string>();

  /** The server's answer, or undefined when it refused (and the form shows why). */
  const submit = async (): Promise<{ answer: T } | undefined> => {
    setSubmitting(true);
    setRefusal(undefined);
    try {
      return { answer: await send(form.getFieldsValue()) };
    } catch (error) {
      const rest = showFieldErrors(form, error);
      if (rest.length > 0) setRefusal(rest.map((e) => e.error).join('；'));
      return undefined;
    } finally {
      setSubmitting(false);
    }
  };

  const alert = refusal ? (
    <Alert type="error" showIcon message={refusal} style={{ marginBottom: 16 }} />
  ) : null;
  return { submit, submitting, alert };
}
