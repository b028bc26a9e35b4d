import { XMLParser } from 'fast-xml-parser';

// Entities are not expanded (no XXE, no billion laughs) and every value stays a string, as sent.
const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  trimValues: false,
});

/** The flat `<xml><k>v</k>…</xml>` of WeChat Pay v2, values in CDATA. */
export function toV2Xml(fields: Readonly<Record<string, string | number | undefined>>): string {
  const body = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<${k}><![CDATA[${String(v).replaceAll(']]>', ']]]]><![CDATA[>')}]]></${k}>`)
    .join('');
  return `<xml>${body}</xml>`;
}

/** The fields of a v2 XML message, or null when it is not one (no <xml> root, nested elements). */
export function parseV2Xml(text: string): Record<string, string> | null {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return null;
  let parsed: unknown;
  try {
    parsed = parser.parse(text);
  } catch {
    return null;
  }
  const root = (parsed as { xml?: unknown })?.xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(root)) {
    if (typeof v !== 'string') return null;
    out[k] = v;
  }
  return out;
}
