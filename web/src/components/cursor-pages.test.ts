import { CursorPages } from './cursor-pages';

describe('CursorPages', () => {
  it('opens each page by the cursor the page before answered, and offers one page more', () => {
    const pages = new CursorPages();
    expect(pages.cursorFor(1, { status: 'dead' })).toEqual({ page: 1, before_id: undefined });
    pages.record(1, 20, 481);
    expect(pages.total(20)).toBe(21);
    expect(pages.cursorFor(2, { status: 'dead' })).toEqual({ page: 2, before_id: 481 });
    pages.record(2, 20, 402);
    expect(pages.total(20)).toBe(41);
    // Back to page 1: its cursor is still the newest rows, and page 3 stays on offer.
    expect(pages.cursorFor(1, { status: 'dead' })).toEqual({ page: 1, before_id: undefined });
    pages.record(1, 20, 481);
    expect(pages.total(20)).toBe(41);
    expect(pages.cursorFor(3, { status: 'dead' })).toEqual({ page: 3, before_id: 402 });
  });

  it('counts exactly once the last page answered no next cursor', () => {
    const pages = new CursorPages();
    pages.cursorFor(1, {});
    pages.record(1, 20, 30);
    pages.cursorFor(2, {});
    pages.record(2, 7, null);
    expect(pages.total(20)).toBe(27);
  });

  it('forgets the pages seen when the filters change, and never guesses a page it cannot open', () => {
    const pages = new CursorPages();
    pages.cursorFor(1, { status: 'dead' });
    pages.record(1, 20, 99);
    expect(pages.cursorFor(2, { status: 'pending' })).toEqual({ page: 1, before_id: undefined });
    pages.record(1, 3, null);
    expect(pages.total(20)).toBe(3);
    expect(pages.cursorFor(5, { status: 'pending' })).toEqual({ page: 1, before_id: undefined });
  });
});
