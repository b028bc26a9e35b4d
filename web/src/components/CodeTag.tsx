import { Tag } from 'antd';

/** A label table (code → Chinese) as ProTable's select options (valueEnum), in the table's order. */
export const valueEnum = (labels: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(labels).map(([code, text]) => [code, { text }]));

export interface CodeTagProps {
  code: string | number;
  labels: Readonly<Record<string, string>>;
  /** antd tag colors by code; a code without one is a plain tag. */
  colors?: Readonly<Record<string, string>>;
}

/** A state code as the tag staff read: its label, coloured; a code the table lacks shows as itself. */
export default function CodeTag({ code, labels, colors = {} }: CodeTagProps) {
  const key = String(code);
  return <Tag color={colors[key]}>{labels[key] ?? key}</Tag>;
}
