/**
 * The schema-free list of channel names (what the preload ships) and the
 * contract with its schemas (what main validates with) name the same methods
 * and events. The type check enforces it with `satisfies`; this is the same
 * promise at run time, where a cast could have slipped past the compiler.
 */
import { expect, test } from '@playwright/test';
import * as channels from '../../common/ipc-channels.ts';
import { ipcContract } from '../../common/ipc-contract.ts';

test('every contract method has a name in the channel list, and every name a contract method', () => {
  expect([...channels.methodNames].sort()).toEqual(Object.keys(ipcContract.methods).sort());
});

test('every contract event has a name in the channel list, and every name a contract event', () => {
  expect([...channels.eventNames].sort()).toEqual(Object.keys(ipcContract.events).sort());
});

test('names are unique, and methods and events map to distinct channels', () => {
  const all = [...channels.methodNames.map(channels.methodChannel), ...channels.eventNames.map(channels.eventChannel)];
  expect(new Set(all).size).toBe(all.length);
});

test('isMethodName and isEventName know exactly the listed names', () => {
  for (const name of channels.methodNames) expect(channels.isMethodName(name), name).toBe(true);
  for (const name of channels.eventNames) expect(channels.isEventName(name), name).toBe(true);
  for (const other of ['toString', '__proto__', 'constructor', 'bogus', '', 42, null]) {
    expect(channels.isMethodName(other), String(other)).toBe(false);
    expect(channels.isEventName(other), String(other)).toBe(false);
  }
});
