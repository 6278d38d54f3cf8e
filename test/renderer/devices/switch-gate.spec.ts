/** When the call replaces its microphone or camera track: once per request, always for a lost device. */
import { expect, test } from '@playwright/test';
import { SwitchGate } from '../../../renderer/devices/switch-gate.ts';

const agcOff = JSON.stringify({ constraints: { autoGainControl: false }, device: 'default' });
const agcOn = JSON.stringify({ constraints: { autoGainControl: true }, device: 'default' });
const otherMic = JSON.stringify({ constraints: { deviceId: { exact: 'mic-2' }, autoGainControl: false }, device: 'mic-2' });

test('a track that satisfies the settings is kept', () => {
  const gate = new SwitchGate<'audio'>();
  expect(gate.shouldSwitch('audio', { satisfied: true, lost: false, request: agcOn })).toBe(false);
});

test('a request the platform ignores is tried once, not again for every new track', () => {
  const gate = new SwitchGate<'audio'>();
  const ignored = { satisfied: false, lost: false, request: agcOff };
  expect(gate.shouldSwitch('audio', ignored)).toBe(true);
  gate.attempt('audio', agcOff);
  // The new track still has automatic gain on: every later look says no.
  for (let i = 0; i < 5; i++) expect(gate.shouldSwitch('audio', ignored)).toBe(false);
});

test('a changed choice is a new request and is tried', () => {
  const gate = new SwitchGate<'audio'>();
  gate.attempt('audio', agcOff);
  expect(gate.shouldSwitch('audio', { satisfied: false, lost: false, request: otherMic })).toBe(true);
  gate.attempt('audio', otherMic);
  expect(gate.shouldSwitch('audio', { satisfied: false, lost: false, request: otherMic })).toBe(false);
});

test('a setting turned back and then again is asked for again, once', () => {
  const gate = new SwitchGate<'audio'>();
  gate.attempt('audio', agcOff);
  expect(gate.shouldSwitch('audio', { satisfied: true, lost: false, request: agcOn })).toBe(false);
  expect(gate.shouldSwitch('audio', { satisfied: false, lost: false, request: agcOff })).toBe(true);
  gate.attempt('audio', agcOff);
  expect(gate.shouldSwitch('audio', { satisfied: false, lost: false, request: agcOff })).toBe(false);
});

test('a lost device is always replaced, even for a request already tried', () => {
  const gate = new SwitchGate<'audio'>();
  gate.attempt('audio', agcOff);
  expect(gate.shouldSwitch('audio', { satisfied: false, lost: true, request: agcOff })).toBe(true);
});

test('kinds are independent, and a new call starts with nothing tried', () => {
  const gate = new SwitchGate<'audio' | 'video'>();
  gate.attempt('audio', agcOff);
  expect(gate.shouldSwitch('video', { satisfied: false, lost: false, request: agcOff })).toBe(true);
  gate.reset();
  expect(gate.shouldSwitch('audio', { satisfied: false, lost: false, request: agcOff })).toBe(true);
});
