import { type Dispatch, type SetStateAction, useCallback, useEffect, useState } from 'react';
import { missingRecord } from './missing-record';

/**
 * A record page's read: the record, or why it could not be read (missingRecord), read afresh
 * whenever `read` changes (another record's address) and on `load()` after a move. `onOpen`
 * runs as a record opens (to forget the last record's outcome message).
 */
export function useRecord<T>(
  read: () => Promise<T>,
  onOpen: () => void,
): {
  record: T | undefined;
  setRecord: Dispatch<SetStateAction<T | undefined>>;
  missing: string | undefined;
  load: () => Promise<void>;
} {
  const [record, setRecord] = useState<T>();
  const [missing, setMissing] = useState<string>();
  const load = useCallback(
    () => read().then(setRecord, (error: unknown) => setMissing(missingRecord(error))),
    [read],
  );
  useEffect(() => {
    setRecord(undefined);
    setMissing(undefined);
    onOpen();
    load();
  }, [load, onOpen]);
  return { record, setRecord, missing, load };
}
