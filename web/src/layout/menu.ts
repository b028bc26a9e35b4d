import type { MenuDataItem } from '@ant-design/pro-components';
import type { Staff } from '../api/auth';
import { MENU_GROUPS, PAGES, type Page } from '../routes';
import { mayOpen } from '../session';

/** The menu the user's roles allow, groups first-come in PAGES order. */
export function menuFor(staff: Staff, pages: readonly Page[] = PAGES): MenuDataItem[] {
  const items: MenuDataItem[] = [];
  const groups = new Map<string, MenuDataItem>();
  for (const page of pages) {
    if (!page.menu || !mayOpen(staff, page.roles)) continue;
    const item: MenuDataItem = { path: page.path, name: page.menu.name, icon: page.menu.icon };
    const groupKey = page.menu.group;
    if (!groupKey) {
      items.push(item);
      continue;
    }
    let group = groups.get(groupKey);
    if (!group) {
      group = { path: `/${groupKey}`, key: groupKey, ...MENU_GROUPS[groupKey], children: [] };
      groups.set(groupKey, group);
      items.push(group);
    }
    group.children?.push(item);
  }
  return items;
}
