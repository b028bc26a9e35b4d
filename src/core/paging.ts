import type { FieldReader } from './field-reader.js';

/** The page fields of the back office's offset-paged lists, with their Chinese labels. */
export const PAGING_FIELDS = { page: '页码', page_size: '每页条数' } as const;

export interface Paging {
  page: number;
  pageSize: number;
  offset: number;
}

/** `page` from 1 and `page_size` up to 100 (default 20), every bad one reported by `r`. */
export function readPaging(r: FieldReader): Paging {
  const page = r.int('page', { min: 1, max: 100_000 }) ?? 1;
  const pageSize = r.int('page_size', { min: 1, max: 100 }) ?? 20;
  return { page, pageSize, offset: (page - 1) * pageSize };
}

/** A page's position as the lists answer it. */
export function pagePosition(paging: Paging, total: number) {
  return {
    total,
    page: paging.page,
    page_size: paging.pageSize,
    page_count: Math.ceil(total / paging.pageSize),
  };
}
