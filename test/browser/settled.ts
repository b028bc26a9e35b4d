import { expect, type Locator } from '@playwright/test';

/**
 * `popup` (an antd Modal, Popconfirm, Dropdown menu or Select dropdown) once it is shown and its opening motion
 * has finished: antd marks it `-appear`/`-enter` (ant-zoom-…, ant-slide-up-…) until then. A click
 * during that motion can land on nothing: CI lost a Popconfirm's 通过 110 ms into its opening.
 */
export async function settled(popup: Locator): Promise<Locator> {
  await expect(popup).toBeVisible();
  await expect(popup).not.toHaveClass(/-(appear|enter)\b/);
  return popup;
}
