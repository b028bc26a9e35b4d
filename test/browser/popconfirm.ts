import type { Page } from '@playwright/test';
import { settled } from './settled.js';

/** Clicks a button of the open Popconfirm once it has finished opening (settled.ts). */
export async function confirmPopup(page: Page, name: string): Promise<void> {
  const popup = page
    .locator('.ant-popover:not(.ant-popover-hidden)')
    .filter({ has: page.getByRole('button', { name }) });
  await (await settled(popup)).getByRole('button', { name }).click();
}
