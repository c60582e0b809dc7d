/** Steps in the showcase's pages, as a user takes them. */
import type { Locator, Page } from 'playwright-core';
import { DEMO_USER } from '../../projects/showcase-server/src/idp/accounts.ts';

/** Waits until the element with `testId` (within `scope`) contains `text`. */
export async function waitForText(scope: Page | Locator, testId: string, text: string | RegExp): Promise<void> {
  await scope.getByTestId(testId).filter({ hasText: text }).first().waitFor();
}

/** Waits until the form status `testId` is exactly `status` (text matching would take "INVALID" for "VALID"). */
export async function waitForStatus(page: Page, testId: string, status: 'VALID' | 'INVALID' | 'PENDING'): Promise<void> {
  await page.locator(`[data-testid="${testId}"][data-status="${status}"]`).waitFor();
}

/** Signs alice in: the code flow to the provider, its login page (the password as a JWE), back to the app. */
export async function signInAsAlice(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/sign-in`);
  await page.getByTestId('sign-in-start').click();
  await page.waitForURL(/\/sign-in\/[\w-]+$/);
  await page.getByTestId('login-password').pressSequentially(DEMO_USER.password);
  await waitForStatus(page, 'login-status', 'VALID');
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/sign-in$/);
  await waitForText(page, 'signed-in-subject', DEMO_USER.username);
}

/** Follows the navigation link named `name`: an in-app navigation, as a user clicks (a full load would restart the app). */
export async function navigateTo(page: Page, name: 'Overview' | 'Sign in' | 'Banking PIN' | 'Protected API'): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name }).click();
}
