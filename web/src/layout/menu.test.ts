import { lazy } from 'react';
import { describe, expect, it } from 'vitest';
import type { Staff } from '../api/auth';
import type { Page } from '../routes';
import { menuFor } from './menu';

const staff = (...roles: string[]): Staff => ({ id: 1, username: 'u', display_name: 'u', roles });
const component = lazy(async () => ({ default: () => null }));
const paths = (items: ReturnType<typeof menuFor>): unknown[] =>
  items.map((item) => (item.children ? { [String(item.path)]: paths(item.children) } : item.path));

// A registry of its own: the real one grows with every page, and what the menu does with any list is the point.
const PAGES: Page[] = [
  { path: '/kefu/orders', menu: { name: '客服', icon: null, group: 'loans' }, roles: ['kefu'], component },
  { path: '/kefu/orders/:id', roles: ['kefu'], component },
  { path: '/charts', menu: { name: '看板', icon: null, group: 'dashboard' }, roles: [], component },
  {
    path: '/mianqian/orders',
    menu: { name: '面签', icon: null, group: 'loans' },
    roles: ['mianqian'],
    component,
  },
  { path: '/mianqian/orders/:id', roles: ['mianqian'], component },
  { path: '/home', menu: { name: '首页', icon: null }, roles: [], component },
  {
    path: '/both',
    menu: { name: '两岗', icon: null, group: 'loans' },
    roles: ['zhongshen', 'kefu'],
    component,
  },
  {
    path: '/escrow-orders',
    menu: { name: '监管', icon: null, group: 'escrow' },
    roles: ['escrow'],
    component,
  },
];

describe('the menu', () => {
  it("shows a role's page to that role only, and never a page reached by link", () => {
    expect(paths(menuFor(staff('mianqian'), PAGES))).toEqual([
      { '/dashboard': ['/charts'] },
      { '/loans': ['/mianqian/orders'] },
      '/home',
    ]);
    expect(paths(menuFor(staff('zhongshen'), PAGES))).toEqual([
      { '/dashboard': ['/charts'] },
      '/home',
      { '/loans': ['/both'] },
    ]);
  });

  it('groups pages in registry order, not the submenus declared order; a page for any staff shows to everyone', () => {
    expect(paths(menuFor(staff('kefu', 'escrow'), PAGES))).toEqual([
      { '/loans': ['/kefu/orders', '/both'] },
      { '/dashboard': ['/charts'] },
      '/home',
      { '/escrow': ['/escrow-orders'] },
    ]);
    expect(paths(menuFor(staff('admin'), PAGES))).toEqual([{ '/dashboard': ['/charts'] }, '/home']);
    expect(
      menuFor(
        staff('admin'),
        PAGES.filter((page) => page.roles.length > 0),
      ),
    ).toEqual([]);
  });
});
