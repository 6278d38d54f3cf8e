/**
 * Settings → Network: the user's own STUN/TURN servers and the relay-only
 * choice, edited by keyboard and checked where they are typed; and every new
 * call's RTCPeerConnection built from the configuration main works out
 * (`connection.rtc`). Saving needs the core's saveNetwork (after the core
 * merge); those tests are marked.
 */
import type { Page } from '@playwright/test';
import type { ConnectionState } from '../../common/ipc-contract.ts';
import { connectAudioCall, expect, test, openSettings } from '../support/browser-fixtures.ts';
import type { Softphone } from '../support/softphone-harness.ts';

async function openNetworkSettings(page: Page) {
  const dialog = await openSettings(page);
  return { dialog, network: dialog.getByRole('region', { name: 'Network' }) };
}

const lastPeerConfiguration = (page: Page) =>
  page.evaluate(() => {
    const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
    const config = pcs[pcs.length - 1]!.getConfiguration();
    return { iceServers: config.iceServers, iceTransportPolicy: config.iceTransportPolicy };
  });

test('adding, checking and removing servers by keyboard', async ({ openSoftphone }) => {
  const { page } = await openSoftphone({ signInAs: 'Alice' });
  const { network } = await openNetworkSettings(page);
  await expect(network).toContainText('No servers of your own.');

  // Add server puts the keyboard in the new row's URL.
  await network.getByRole('button', { name: 'Add server' }).click();
  await expect(network.getByLabel('URL of server 1')).toBeFocused();
  await page.keyboard.type('turn.example.com');
  // A TURN address asks for a username and a credential; a STUN one does not.
  await network.getByRole('button', { name: 'Add server' }).press('Enter');
  await expect(network.getByLabel('URL of server 2')).toBeFocused();
  await page.keyboard.type('stun:127.0.0.1:3478');
  await expect(network.getByLabel('Username for server 2')).toHaveCount(0);
  await network.getByLabel('URL of server 1').fill('turn:127.0.0.1:3478');
  await expect(network.getByLabel('Username for server 1')).toBeVisible();
  await expect(network.getByLabel('Credential for server 1')).toHaveAttribute('type', 'password');

  // Save with missing parts: each is said next to its field, and the keyboard goes to the first.
  await network.getByLabel('URL of server 2').fill('stun//127.0.0.1');
  await network.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(network.getByLabel('Username for server 1')).toBeFocused();
  await expect(network.getByLabel('Username for server 1')).toHaveAccessibleDescription('A TURN server needs a username.');
  await expect(network.getByLabel('Credential for server 1')).toHaveAccessibleDescription('A TURN server needs a credential (its password).');
  await expect(network.getByLabel('URL of server 2')).toHaveAttribute('aria-invalid', 'true');
  await expect(network.getByLabel('URL of server 2')).toHaveAccessibleDescription(/Start the address with stun:, turn: or turns:/);
  await expect(network.getByRole('status')).toHaveText('Check the servers marked above.');

  // Corrected, the messages go.
  await page.keyboard.type('alice');
  await expect(network.getByLabel('Username for server 1')).toHaveAttribute('aria-invalid', 'false');
  await network.getByLabel('Credential for server 1').fill('secret');
  await expect(network.getByLabel('Credential for server 1')).toHaveAttribute('aria-invalid', 'false');
  await network.getByLabel('URL of server 2').fill('stun:127.0.0.1:3478');
  await expect(network.getByLabel('URL of server 2')).toHaveAttribute('aria-invalid', 'false');

  // Remove moves the keyboard to the row that took its place; the last removal to Add server.
  await network.getByRole('button', { name: 'Remove server 1' }).click();
  await expect(network.getByLabel('URL of server 1')).toHaveValue('stun:127.0.0.1:3478');
  await expect(network.getByLabel('URL of server 1')).toBeFocused();
  await network.getByRole('button', { name: 'Remove server 1' }).press('Enter');
  await expect(network.getByRole('button', { name: 'Add server' })).toBeFocused();
  await expect(network).toContainText('No servers of your own.');
});

test('at most eight servers', async ({ openSoftphone }) => {
  const { page } = await openSoftphone({ signInAs: 'Alice' });
  const { network } = await openNetworkSettings(page);
  const add = network.getByRole('button', { name: 'Add server' });
  for (let i = 0; i < 8; i++) await add.click();
  await expect(network.getByLabel('URL of server 8')).toBeFocused();
  await expect(add).toBeDisabled();
  await expect(add).toHaveAccessibleDescription('At most 8 servers.');
  await network.getByRole('button', { name: 'Remove server 3' }).click();
  await expect(add).toBeEnabled();
});

test('relay only warns when no TURN server is known; Undo changes goes back to what is saved', async ({ openSoftphone }) => {
  const { page } = await openSoftphone({ signInAs: 'Alice' });
  const { network } = await openNetworkSettings(page);
  const relayOnly = network.getByLabel('Only connect calls through a relay (TURN)');
  await expect(relayOnly).not.toBeChecked();
  await relayOnly.press('Space');
  await expect(relayOnly).toBeChecked();
  const warning = network.getByRole('note');
  await expect(warning).toHaveText(/No TURN server is known.*calls cannot connect/);
  await network.getByRole('button', { name: 'Add server' }).click();
  await page.keyboard.type('turn:127.0.0.1:3478');
  await expect(warning).toHaveCount(0);

  await network.getByRole('button', { name: 'Undo changes' }).click();
  await expect(relayOnly).not.toBeChecked();
  await expect(network).toContainText('No servers of your own.');
});

test('every new call uses the RTCConfiguration main reports in connection.rtc', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  // Before the core merge the core reports none, and a call uses no ICE servers at all.
  await connectAudioCall(alice, bob);
  const before = await lastPeerConfiguration(alice.page);
  const rtcFromCore = (await alice.core.handlers.getSnapshot()).connection.rtc;
  if (rtcFromCore) expect(before).toMatchObject({ iceTransportPolicy: rtcFromCore.iceTransportPolicy });
  else expect(before).toEqual({ iceServers: [], iceTransportPolicy: 'all' });
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await alice.page.getByRole('button', { name: 'Close', exact: true }).click();

  // What main would say with the user's STUN server (delivered to the page as main delivers events).
  await deliverConnection(alice, { rtc: { iceServers: [{ urls: 'stun:127.0.0.1:9' }], iceTransportPolicy: 'all' } });
  await connectAudioCall(alice, bob);
  expect(await lastPeerConfiguration(alice.page)).toMatchObject({ iceServers: [{ urls: ['stun:127.0.0.1:9'] }], iceTransportPolicy: 'all' });
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await alice.page.getByRole('button', { name: 'Close', exact: true }).click();

  // Relay only, with TURN credentials from the server: the call is set up that way (it cannot connect here, so Alice cancels).
  const turn = { urls: 'turn:127.0.0.1:9', username: '1700000000:Alice', credential: 'from-the-server' };
  await deliverConnection(alice, { rtc: { iceServers: [turn], iceTransportPolicy: 'relay' } });
  await alice.page.getByRole('button', { name: 'Call Bob', exact: true }).click();
  await expect.poll(() => peerConnectionCount(alice.page)).toBe(3);
  expect(await lastPeerConfiguration(alice.page)).toMatchObject({
    iceServers: [{ urls: ['turn:127.0.0.1:9'], username: '1700000000:Alice', credential: 'from-the-server' }],
    iceTransportPolicy: 'relay',
  });
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
});

const peerConnectionCount = (page: Page) =>
  page.evaluate(() => (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections.length);

/** Push a connection event to the page as main would, with these fields changed. */
async function deliverConnection(softphone: Softphone, patch: Partial<ConnectionState>): Promise<void> {
  const current = (await softphone.core.handlers.getSnapshot()).connection;
  await softphone.page.evaluate((json) => window.__softphoneDeliver('connection', json), JSON.stringify({ ...current, ...patch }));
}

// ---- needs the core merge: saveNetwork / Settings.network / connection.rtc from the core ---------

test('saved servers come back without their credential, and the next call uses them with relay only', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  let { dialog, network } = await openNetworkSettings(alice.page);
  await network.getByRole('button', { name: 'Add server' }).click();
  await network.getByLabel('URL of server 1').fill('turn:127.0.0.1:3478');
  await network.getByLabel('Username for server 1').fill('alice');
  await network.getByLabel('Credential for server 1').fill('secret');
  await network.getByLabel('Only connect calls through a relay (TURN)').check();
  await network.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(network.getByRole('status')).toHaveText('Saved. The next call uses these settings.');

  const snapshot = await alice.core.handlers.getSnapshot();
  expect(snapshot.settings.network).toEqual({ iceServers: [{ urls: 'turn:127.0.0.1:3478', username: 'alice', hasCredential: true }], relayOnly: true });
  expect(JSON.stringify(snapshot.settings)).not.toContain('secret');
  expect(snapshot.connection.rtc).toMatchObject({ iceTransportPolicy: 'relay', iceServers: expect.arrayContaining([expect.objectContaining({ urls: 'turn:127.0.0.1:3478', username: 'alice' })]) });

  await dialog.getByRole('button', { name: 'Close' }).click();
  ({ dialog, network } = await openNetworkSettings(alice.page));
  const credential = network.getByLabel('Credential for server 1');
  await expect(credential).toHaveValue('');
  await expect(credential).toHaveAttribute('placeholder', 'Saved (type to replace)');
  await expect(credential).toHaveAccessibleDescription('Saved in your system keychain; not shown. Leave empty to keep it.');
  // Forget, then save: the credential is gone, the rest stays.
  await network.getByRole('button', { name: 'Forget the credential of server 1' }).click();
  await expect(credential).toBeFocused();
  await credential.fill('other');
  await network.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(network.getByRole('status')).toHaveText('Saved. The next call uses these settings.');
});
