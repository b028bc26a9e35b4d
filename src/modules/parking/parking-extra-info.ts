import type { Pii } from '../../platform/pii.js';

/**
 * An order's extra infos (call 6's extraDataJson, with each picture's slot) as stored: sealed
 * like every other personal field, as a text item may be anything the park asks for — an ID
 * number, an address. A row written before they were sealed holds the JSON itself.
 */
export function sealExtraInfo(pii: Pick<Pii, 'encrypt'>, items: readonly object[]): string {
  return pii.encrypt(JSON.stringify(items));
}

export function openExtraInfo<T>(pii: Pick<Pii, 'decrypt'>, stored: string): T[] {
  return JSON.parse(stored.startsWith('[') ? stored : pii.decrypt(stored)) as T[];
}
