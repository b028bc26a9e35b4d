import type { DestinationStream } from 'pino';

export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

/** pino's number for `error`; `fatal` is above it. */
export const ERROR_LEVEL = 50;

/** A pino destination that keeps every line, for tests that assert what the app logged. */
export function captureLogs(): { stream: DestinationStream; lines: LogLine[]; errors(): LogLine[] } {
  const lines: LogLine[] = [];
  return {
    stream: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
    lines,
    errors: () => lines.filter((line) => line.level >= ERROR_LEVEL),
  };
}
