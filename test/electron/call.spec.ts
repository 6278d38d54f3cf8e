/**
 * The real, built app in a real Electron: two instances (two profiles) open
 * their windows, sign in through the UI, and see each other online. Skipped,
 * saying why, where no Electron binary exists (test/support/electron-app.ts).
 */
import { freePort } from '../support/free-port.ts';
import { expect, seesOnline, signIn, test } from '../support/electron-app.ts';

test('two softphones open their windows, sign in and see each other online', async ({ softphones }) => {
  const port = await freePort();
  const alice = await softphones.launch('alice', port);
  const bob = await softphones.launch('bob', port);

  for (const { page } of [alice, bob]) {
    await expect(page).toHaveTitle('Softphone');
    // The page got the contract and nothing of Node.
    expect(await page.evaluate(() => [typeof (window as unknown as { require?: unknown }).require, typeof (window as unknown as { process?: unknown }).process])).toEqual(['undefined', 'undefined']);
    expect(await page.evaluate(() => Object.keys((window as unknown as { softphone: object }).softphone).sort())).toContain('signIn');
  }
  expect(alice.userData).not.toBe(bob.userData);

  await signIn(alice, 'Alice');
  await signIn(bob, 'Bob');

  await seesOnline(alice, 'Bob');
  await seesOnline(bob, 'Alice');
});
