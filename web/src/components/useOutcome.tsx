import { Alert } from 'antd';
import { type ReactNode, useCallback, useState } from 'react';

/**
 * The answer to a clerk's move, said on the page: what was done, or the server's refusal in its
 * own words (a 403 too: the shell only shows a refused read). `run` is for a move confirmed by a
 * button: it says either and rethrows a refusal. A dialog shows its own refusal and stays open, so
 * it only tells the page what was done, with `done`.
 */
export function useOutcome(): {
  outcome: ReactNode;
  run<T>(call: () => Promise<T>, done: string | ((answer: T) => string)): Promise<T>;
  done(text: string): void;
  clear(): void;
} {
  const [said, setSaid] = useState<{ ok: boolean; text: string }>();
  const run = useCallback(async <T,>(call: () => Promise<T>, done: string | ((answer: T) => string)) => {
    setSaid(undefined);
    try {
      const answer = await call();
      setSaid({ ok: true, text: typeof done === 'string' ? done : done(answer) });
      return answer;
    } catch (error) {
      setSaid({ ok: false, text: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }, []);
  const done = useCallback((text: string) => setSaid({ ok: true, text }), []);
  const clear = useCallback(() => setSaid(undefined), []);
  const outcome = said ? (
    <Alert type={said.ok ? 'success' : 'error'} showIcon message={said.text} closable onClose={clear} />
  ) : null;
  return { outcome, run, done, clear };
}
