import { lazy } from 'react';
import { describe, expect, it } from 'vitest';
import type { Staff } from '../api/auth';
import type { Page } from '../routes';
import { menuFor } from './menu';

const staff = (...roles: string[]): Staff => ({ id: 1, username: 'u', display_name: 'u', roles });
const component = lazy(async () => ({ default: () => null }));
const paths = (items: ReturnType<typeof menuFor>): unknown[] =>
  items.map((item) => (item.children ? { [String(item.path)]: paths(item.children) } : item.path));

describe('the menu', () => {
  it('shows the 面签 desk to the 面签 role only, and never a page reached by link', () => {
    expect(paths(menuFor(staff('mianqian')))).toEqual([{ '/loans': ['/mianqian/orders'] }]);
    expect(menuFor(staff('kefu', 'admin'))).toEqual([]);
  });

  it('groups pages in registry order; a page for any staff shows to everyone', () => {
    const pages: Page[] = [
      { path: '/a', menu: { name: 'A', icon: null, group: 'loans' }, roles: ['kefu'], component },
      { path: '/home', menu: { name: '首页', icon: null }, roles: [], component },
      {
        path: '/b',
        menu: { name: 'B', icon: null, group: 'loans' },
        roles: ['zhongshen', 'kefu'],
        component,
      },
      { path: '/c', menu: { name: 'C', icon: null, group: 'loans' }, roles: ['shencha'], component },
    ];
    expect(paths(menuFor(staff('kefu'), pages))).toEqual([{ '/loans': ['/a', '/b'] }, '/home']);
    expect(paths(menuFor(staff('escrow'), pages))).toEqual(['/home']);
  });
});
