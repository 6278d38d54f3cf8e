/**
 * Finding a remembered device again. Device ids change between launches on
 * some systems (and on every launch in Chromium's fake devices), labels do
 * not; so a saved choice is matched by id, then by label, and otherwise the
 * system default is used. Pure functions: no browser API is touched here.
 */
import type { DeviceChoice } from '../../common/settings-schema.ts';
import { t } from '../../common/i18n/index.ts';

/** What the user picks a device for. The speaker and the ringer both choose among outputs. */
export type DeviceRole = 'microphone' | 'camera' | 'speaker' | 'ringer';
export const DEVICE_ROLES: readonly DeviceRole[] = ['microphone', 'camera', 'speaker', 'ringer'];

export const ROLE_KIND: Readonly<Record<DeviceRole, MediaDeviceKind>> = {
  microphone: 'audioinput',
  camera: 'videoinput',
  speaker: 'audiooutput',
  ringer: 'audiooutput',
};

/** How a role is named in sentences: "the system default microphone". */
/** A device role as a noun in a sentence ("the system default microphone"). */
export function roleNoun(role: DeviceRole): string {
  return role === 'microphone' ? t('microphone') : role === 'camera' ? t('camera') : role === 'speaker' ? t('speaker') : t('ringtone speaker');
}

/** A chosen device that has no name. */
export function chosenDevice(role: DeviceRole): string {
  return t('The chosen {{device}}', { device: roleNoun(role) });
}

/** The part of MediaDeviceInfo the matching needs (plain objects in unit tests). */
export interface DeviceInfo {
  readonly deviceId: string;
  readonly kind: MediaDeviceKind;
  readonly label: string;
  readonly groupId: string;
}

export type MatchedBy = 'id' | 'label' | 'default';

export interface DeviceMatch {
  /** The device to use; for 'default', the system default's entry (null when the list is empty). */
  device: DeviceInfo | null;
  matchedBy: MatchedBy;
  /** The saved choice that was looked for (null: the user chose the system default). */
  choice: DeviceChoice | null;
}

/**
 * Chromium lists the system default as a device with the id "default" (and on
 * Windows "communications"); where there is none, the first device of the kind
 * is what the browser opens without a deviceId constraint.
 */
export function isDefaultEntry(device: Pick<DeviceInfo, 'deviceId'>): boolean {
  return device.deviceId === 'default';
}

export function systemDefault(devices: readonly DeviceInfo[]): DeviceInfo | null {
  return devices.find(isDefaultEntry) ?? devices[0] ?? null;
}

/** The saved choice in the current list: by id, then by label, else the system default. */
export function findBestMatchingDevice(choice: DeviceChoice | null, devices: readonly DeviceInfo[]): DeviceMatch {
  if (choice) {
    const byId = devices.find((d) => d.deviceId === choice.deviceId && !isDefaultEntry(d));
    if (byId) return { device: byId, matchedBy: 'id', choice };
    // A label is only trusted when it is not empty (labels are empty before permission).
    const byLabel = choice.label ? devices.find((d) => d.label === choice.label && !isDefaultEntry(d)) : undefined;
    if (byLabel) return { device: byLabel, matchedBy: 'label', choice };
  }
  return { device: systemDefault(devices), matchedBy: 'default', choice };
}

/** The saved choice was not found, so the default stands in for it. */
export function isFallback(match: DeviceMatch): boolean {
  return match.choice !== null && match.matchedBy === 'default';
}

/** What to tell the user about a match; null when the device they chose is the one used. */
export function describeMatch(match: DeviceMatch, role: DeviceRole): string | null {
  if (!isFallback(match)) return null;
  return t('{{name}} was not found; using the system default {{device}}.', { name: match.choice!.label || chosenDevice(role), device: roleNoun(role) });
}

/** The saved form of a device; the default entry is saved as null (follow the system). */
export function choiceOf(device: DeviceInfo | null): DeviceChoice | null {
  if (!device || isDefaultEntry(device)) return null;
  return { deviceId: device.deviceId, label: device.label };
}

/** A name to show for a device, also before permission gives labels. */
export function deviceLabel(device: DeviceInfo, index: number, role: DeviceRole): string {
  if (device.label) return device.label;
  return t('{{device}} {{n}}', { device: role === 'microphone' ? t('Microphone') : role === 'camera' ? t('Camera') : t('Speaker'), n: index + 1 });
}
