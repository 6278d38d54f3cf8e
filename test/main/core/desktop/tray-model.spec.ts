/** The tray's presence, tooltip, badge and menu for each state the app can be in. */
import { expect, test } from '@playwright/test';
import { doNotDisturbOf, trayModel } from '../../../../main/core/desktop/tray-model.ts';

test('online with two missed calls: presence, tooltip, badge, and the menu', () => {
  const model = trayModel({ connection: 'connected', signedInAs: 'Alice', doNotDisturb: 'off', unseenMissed: 2 });
  expect(model.presence).toBe('online');
  expect(model.tooltip).toBe('Softphone: Online as Alice · 2 missed calls');
  expect(model.badgeCount).toBe(2);
  expect(model.items.filter((i) => i.kind !== 'separator').map((i) => ('checked' in i ? `${i.label} ${i.checked ? '(x)' : '( )'}` : i.label))).toEqual([
    'Online as Alice',
    '2 missed calls',
    'Show Softphone',
    'Calls ring (x)',
    'Do not disturb: refuse calls ( )',
    'Do not disturb: ring silently ( )',
    'Quit Softphone',
  ]);
});

test('do not disturb, connecting and offline are told apart; no badge without missed calls', () => {
  expect(trayModel({ connection: 'connected', signedInAs: 'Alice', doNotDisturb: 'busy', unseenMissed: 0 })).toMatchObject({
    presence: 'do-not-disturb',
    tooltip: 'Softphone: Do not disturb',
    badgeCount: 0,
  });
  expect(trayModel({ connection: 'reconnecting', signedInAs: null, doNotDisturb: 'off', unseenMissed: 1 }).tooltip).toBe('Softphone: Connecting… · 1 missed call');
  expect(trayModel({ connection: 'failed', signedInAs: null, doNotDisturb: 'off', unseenMissed: 0 }).presence).toBe('offline');
  expect([doNotDisturbOf('dnd-busy'), doNotDisturbOf('dnd-silent'), doNotDisturbOf('dnd-off'), doNotDisturbOf('show')]).toEqual(['busy', 'silent', 'off', null]);
});

test('the update item sits above Quit where updates are on, as the update policy words it', () => {
  const off = trayModel({ connection: 'connected', signedInAs: 'Alice', doNotDisturb: 'off', unseenMissed: 0 });
  expect(off.items.some((i) => i.kind === 'action' && i.action === 'updates')).toBe(false);

  const downloading = { label: 'Downloading version 1.1.0…', enabled: false };
  const on = trayModel({ connection: 'connected', signedInAs: 'Alice', doNotDisturb: 'off', unseenMissed: 0, update: downloading });
  expect(on.items.slice(-2)).toEqual([
    { kind: 'action', action: 'updates', label: 'Downloading version 1.1.0…', enabled: false },
    { kind: 'action', action: 'quit', label: 'Quit Softphone' },
  ]);
});
