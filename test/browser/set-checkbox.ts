import { expect, type Locator } from '@playwright/test';

/**
 * Checks or unchecks an antd checkbox, clicking again when a click was lost: CI has seen a click on
 * a box in the 编辑账号 dialog, 110 ms after one on its neighbour and with the dialog settled, leave
 * it as it was. `setChecked` does nothing to a box already as wanted, so a click that took effect
 * late is never undone by the next try; it throws unless the box ends as wanted.
 */
export async function setCheckbox(box: Locator, checked: boolean): Promise<void> {
  await expect(async () => {
    await box.setChecked(checked, { timeout: 2_000 });
  }).toPass({ timeout: 10_000 });
}
