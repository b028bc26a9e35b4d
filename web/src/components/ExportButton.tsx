import { DownloadOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { type Query, withQuery } from '../api/client';

export interface ExportButtonProps {
  /** The export route, e.g. `/api/partner-callbacks/export.csv`. */
  path: string;
  /**
   * The list's current filters, as the list sends them: empty values are left out, so a
   * ProTable's form values (or the list's own query) can be passed as they are.
   */
  query?: Query;
  /** The button's text; 导出CSV unless told. */
  children?: string;
}

/** The export's address: the route with the list's filters as its query string. */
export const exportUrl = (path: string, query: Query = {}): string => withQuery(path, query);

/**
 * 导出CSV: a plain link to the server's streamed CSV. The browser downloads it itself with the
 * session cookie (the server names the file in Content-Disposition), so a large export streams
 * to disk instead of being built in the page's memory, and the page stays where it is. The server
 * checks the filters and the role before the first byte: a refusal arrives as its JSON envelope
 * saved in place of the CSV, so pass only filters the list itself accepted.
 */
export default function ExportButton({ path, query, children = '导出CSV' }: ExportButtonProps) {
  return (
    <Button icon={<DownloadOutlined />} href={exportUrl(path, query)} download>
      {children}
    </Button>
  );
}
