import { expect, type Locator, type Page } from '@playwright/test';
import { settled } from './settled.js';

/**
 * Opens an antd Select by `opener` and clicks its option titled `title`, once the dropdown has
 * finished opening. One CI run clicked the 城市 select of a form just mounted and no dropdown ever
 * appeared (the test waited 90 s for the option): a click that opens nothing is clicked again, and
 * the option is taken only when the dropdown has settled and closes on it. `force` opens a Select
 * whose chosen value covers its input.
 */
export async function chooseOption(
  page: Page,
  opener: Locator,
  title: string,
  { force = false }: { force?: boolean } = {},
): Promise<void> {
  const dropdown = page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')
    .filter({ has: page.locator(`.ant-select-item-option[title="${title}"]`) });
  const option = dropdown.locator(`.ant-select-item-option[title="${title}"]`);
  await expect(async () => {
    if (!(await option.isVisible())) await opener.click({ force, timeout: 5_000 });
    await expect(option).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await settled(dropdown);
  await option.click();
  await expect(option).toBeHidden();
}
