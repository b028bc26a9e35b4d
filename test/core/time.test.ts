import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatShanghaiDate,
  formatShanghaiDateTime,
  isCalendarDate,
  parseShanghaiDateTime,
  shanghaiDayRange,
} from '../../src/core/time.js';

describe('Beijing time', () => {
  it('formats epoch ms in UTC+8', () => {
    assert.equal(formatShanghaiDateTime(0), '1970-01-01 08:00:00');
    assert.equal(formatShanghaiDateTime(Date.parse('2016-01-06T03:18:30Z')), '2016-01-06 11:18:30');
    assert.equal(formatShanghaiDate(Date.parse('2024-05-31T16:00:00Z')), '2024-06-01');
  });
  it('reads a Beijing date-time back', () => {
    assert.equal(parseShanghaiDateTime('2016-01-06 11:18:30'), Date.parse('2016-01-06T03:18:30Z'));
    assert.equal(parseShanghaiDateTime('2016-01-06 11:18'), Date.parse('2016-01-06T03:18:00Z'));
    assert.equal(parseShanghaiDateTime('2016-02-30 11:18:30'), null);
    assert.equal(parseShanghaiDateTime('2016-01-06 24:00:00'), null);
    assert.equal(parseShanghaiDateTime('2016-01-06T11:18:30'), null);
  });
  it('gives a Beijing day as a half-open range', () => {
    assert.deepEqual(shanghaiDayRange('2024-06-01'), {
      start: Date.parse('2024-05-31T16:00:00Z'),
      end: Date.parse('2024-06-01T16:00:00Z'),
    });
    assert.equal(shanghaiDayRange('2024-13-01'), null);
  });
  it('knows real calendar dates', () => {
    assert.equal(isCalendarDate('2024-02-29'), true);
    assert.equal(isCalendarDate('2023-02-29'), false);
    assert.equal(isCalendarDate('2024-2-9'), false);
  });
});
