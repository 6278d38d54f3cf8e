/** Finding a saved device again: by id, then label, else the system default; and what the user is told. */
import { expect, test } from '@playwright/test';
import {
  choiceOf,
  describeMatch,
  deviceLabel,
  findBestMatchingDevice,
  type DeviceInfo,
} from '../../../renderer/devices/device-matching.ts';
import { describeMediaError } from '../../../renderer/call/local-media.ts';
import { levelFromSamples } from '../../../renderer/devices/audio-level.ts';

const mic = (deviceId: string, label: string): DeviceInfo => ({ deviceId, label, kind: 'audioinput', groupId: `g-${deviceId}` });
const defaultMic = mic('default', 'Default - Built-in Microphone');
const builtIn = mic('id-builtin', 'Built-in Microphone');
const headset = mic('id-headset', 'USB Headset');
const list = [defaultMic, builtIn, headset];

test('a saved device whose id is listed is matched by id', () => {
  const match = findBestMatchingDevice({ deviceId: 'id-headset', label: 'USB Headset' }, list);
  expect(match).toEqual({ device: headset, matchedBy: 'id', choice: { deviceId: 'id-headset', label: 'USB Headset' } });
  expect(describeMatch(match, 'microphone')).toBeNull();
});

test('the id wins over a label that now names another device', () => {
  const renamed = mic('id-headset', 'Headset (renamed)');
  const match = findBestMatchingDevice({ deviceId: 'id-headset', label: 'Built-in Microphone' }, [defaultMic, builtIn, renamed]);
  expect(match.device).toBe(renamed);
  expect(match.matchedBy).toBe('id');
});

test('after a restart with new ids, the saved device is found by its label', () => {
  const relaunched = [mic('default', defaultMic.label), mic('new-1', 'Built-in Microphone'), mic('new-2', 'USB Headset')];
  const match = findBestMatchingDevice({ deviceId: 'id-headset', label: 'USB Headset' }, relaunched);
  expect(match.device?.deviceId).toBe('new-2');
  expect(match.matchedBy).toBe('label');
  expect(describeMatch(match, 'microphone')).toBeNull();
});

test('no saved choice means the system default, and nothing to report', () => {
  const match = findBestMatchingDevice(null, list);
  expect(match).toEqual({ device: defaultMic, matchedBy: 'default', choice: null });
  expect(describeMatch(match, 'microphone')).toBeNull();
});

test('where the browser lists no "default" entry, the first device is the default', () => {
  const cameras: DeviceInfo[] = [
    { deviceId: 'cam-a', label: 'Front camera', kind: 'videoinput', groupId: 'a' },
    { deviceId: 'cam-b', label: 'USB camera', kind: 'videoinput', groupId: 'b' },
  ];
  expect(findBestMatchingDevice(null, cameras).device?.deviceId).toBe('cam-a');
});

test('a vanished device falls back to the system default and says so', () => {
  const match = findBestMatchingDevice({ deviceId: 'id-headset', label: 'USB Headset' }, [defaultMic, builtIn]);
  expect(match.device).toBe(defaultMic);
  expect(match.matchedBy).toBe('default');
  expect(describeMatch(match, 'microphone')).toBe('USB Headset was not found; using the system default microphone.');
  expect(describeMatch(match, 'ringer')).toBe('USB Headset was not found; using the system default ringtone speaker.');
});

test('with no devices at all, the default is null rather than a made-up device', () => {
  const match = findBestMatchingDevice({ deviceId: 'x', label: 'USB Headset' }, []);
  expect(match).toMatchObject({ device: null, matchedBy: 'default' });
});

test('an empty saved label never matches a device without a label (labels are empty before permission)', () => {
  const unlabelled = [mic('default', ''), mic('a', ''), mic('b', '')];
  const match = findBestMatchingDevice({ deviceId: 'gone', label: '' }, unlabelled);
  expect(match.matchedBy).toBe('default');
  expect(describeMatch(match, 'camera')).toBe('The chosen camera was not found; using the system default camera.');
});

test('choosing the default entry saves "follow the system", a real device saves id and label', () => {
  expect(choiceOf(defaultMic)).toBeNull();
  expect(choiceOf(null)).toBeNull();
  expect(choiceOf(headset)).toEqual({ deviceId: 'id-headset', label: 'USB Headset' });
});

test('devices without labels get a readable name', () => {
  expect(deviceLabel(mic('a', ''), 1, 'microphone')).toBe('Microphone 2');
  expect(deviceLabel(mic('a', ''), 0, 'ringer')).toBe('Speaker 1');
  expect(deviceLabel(headset, 2, 'microphone')).toBe('USB Headset');
});

test('permission denied, device in use and device not found each have their own message', () => {
  const denied = describeMediaError({ name: 'NotAllowedError' }, false);
  const inUse = describeMediaError({ name: 'NotReadableError' }, false);
  const notFound = describeMediaError({ name: 'NotFoundError' }, false);
  expect(new Set([denied.kind, inUse.kind, notFound.kind])).toEqual(new Set(['denied', 'in-use', 'not-found']));
  expect(denied.message).toBe('Permission to use the microphone was denied.');
  expect(inUse.message).toBe('The microphone is in use by another program or could not be started.');
  expect(notFound.message).toBe('No microphone was found. Connect one to make calls.');
});

test('the level meter reads silence as 0 and full scale as 100', () => {
  expect(levelFromSamples(new Float32Array(512))).toBe(0);
  expect(levelFromSamples(new Float32Array(512).fill(1))).toBe(100);
  const quiet = levelFromSamples(new Float32Array(512).fill(0.01)); // -40 dBFS
  expect(quiet).toBeGreaterThan(0);
  expect(quiet).toBeLessThan(50);
});
