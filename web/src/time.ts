import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import 'dayjs/locale/zh-cn';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.locale('zh-cn');

/**
 * The server speaks Beijing time: times arrive as `YYYY-MM-DD HH:mm:ss` strings already in it
 * (show them as they are), dates go out as Beijing days. Only an epoch it answers (a session's
 * expiry) is turned into Beijing time here, whatever time zone the clerk's computer is set to.
 */
export function formatBeijing(epochMs: number): string {
  return dayjs(epochMs).tz('Asia/Shanghai').format('YYYY-MM-DD HH:mm');
}
