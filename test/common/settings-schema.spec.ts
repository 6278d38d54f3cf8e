import { expect, test } from '@playwright/test';
import { ContactPatch, SettingsPatch } from '../../common/ipc-contract.ts';

test('a settings patch carries only the fields it names, so the others keep their saved values', () => {
  expect(SettingsPatch.parse({ dtmf: { toneMs: 200 } })).toEqual({ dtmf: { toneMs: 200 } });
  expect(SettingsPatch.parse({ devices: { ringer: null } })).toEqual({ devices: { ringer: null } });
  expect(SettingsPatch.parse({})).toEqual({});
});

test('a settings patch is still validated, field by field', () => {
  expect(() => SettingsPatch.parse({ dtmf: { toneMs: 20 } })).toThrow(/toneMs/);
  expect(() => SettingsPatch.parse({ dtmf: { volume: 3 } })).toThrow(/volume/);
  expect(() => SettingsPatch.parse({ displayName: 'Mallory' })).toThrow(/displayName/);
});

test('contact details left out of an update are not reset', () => {
  expect(ContactPatch.parse({ sequences: [] })).toEqual({ sequences: [] });
  expect(() => ContactPatch.parse({ postDial: '1x' })).toThrow(/0-9/);
});
