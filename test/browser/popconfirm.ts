import { expect, type Page } from '@playwright/test';

/**
 * Clicks a button of the open Popconfirm once it has finished opening. A click while its zoom
 * animation still runs can land on nothing (one CI run lost the approval's 通过 so, 110 ms after
 * the popup appeared): antd marks the popup `ant-zoom-big-appear`/`-enter` until it has settled.
 */
export async function confirmPopup(page: Page, name: string): Promise<void> {
  const popup = page
    .locator('.ant-popover:not(.ant-popover-hidden)')
    .filter({ has: page.getByRole('button', { name }) });
  await expect(popup).toBeVisible();
  await expect(popup).not.toHaveClass(/-(appear|enter)\b/);
  await popup.getByRole('button', { name }).click();
}
