/**
 * The devices the app can use, kept current for every component at once: it
 * enumerates on start and on every `devicechange`, resolves the user's saved
 * choices against the list (id, then label, then system default) and builds
 * the capture constraints the call engine opens media with.
 *
 * Events: 'change' whenever a list, a choice or a resolution changes (the
 * same event name ChangeController re-renders on).
 */
import type { DeviceChoice, DeviceSettings } from '../../common/settings-schema.ts';
import type { Notice } from '../../common/ipc-contract.ts';
import { MediaAccessError, describeMediaError } from '../call/local-media.ts';
import {
  DEVICE_ROLES,
  ROLE_KIND,
  roleNoun,
  chosenDevice,
  choiceOf,
  describeMatch,
  findBestMatchingDevice,
  isFallback,
  type DeviceInfo,
  type DeviceMatch,
  type DeviceRole,
} from './device-matching.ts';
import { t } from '../../common/i18n/index.ts';

/** Where the saved device preferences live (main, through the app store). */
export interface DeviceSettingsPort {
  read(): DeviceSettings;
  /** Save; resolves with the device settings as saved. */
  write(patch: Partial<DeviceSettings>): Promise<DeviceSettings>;
  /** Says 'change' when the settings may have changed. */
  changes: EventTarget;
}

export type ProcessingSettings = Pick<DeviceSettings, 'echoCancellation' | 'noiseSuppression' | 'autoGainControl'>;
export const PROCESSING_KEYS = ['echoCancellation', 'noiseSuppression', 'autoGainControl'] as const;

type MediaDevicesLike = Pick<MediaDevices, 'enumerateDevices' | 'getUserMedia' | 'addEventListener' | 'removeEventListener'>;

export class DeviceService extends EventTarget {
  /** Devices by kind, in the browser's order. */
  private lists: Record<MediaDeviceKind, DeviceInfo[]> = { audioinput: [], videoinput: [], audiooutput: [] };
  private matches = new Map<DeviceRole, DeviceMatch>();
  private settings: DeviceSettings;
  private localNotices: Notice[] = [];
  private noticeCounter = 0;
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;
  private readonly onDeviceChange = () => void this.refresh();
  /** Saves not answered yet: settings events in between are older than what is shown, so they wait. */
  private pendingWrites = 0;
  private readonly onSettingsChange = () => {
    if (this.pendingWrites === 0) this.applySettings(this.port.read());
  };

  constructor(
    private readonly port: DeviceSettingsPort,
    private readonly media: MediaDevicesLike = navigator.mediaDevices,
  ) {
    super();
    this.settings = port.read();
    this.resolveAll();
  }

  /** Enumerate now and follow device and settings changes until dispose(). */
  async start(): Promise<void> {
    this.media.addEventListener('devicechange', this.onDeviceChange);
    this.port.changes.addEventListener('change', this.onSettingsChange);
    await this.refresh();
  }

  dispose(): void {
    this.media.removeEventListener('devicechange', this.onDeviceChange);
    this.port.changes.removeEventListener('change', this.onSettingsChange);
  }

  /** Read the device list again (also after permission is granted, when labels appear). */
  refresh(): Promise<void> {
    if (this.refreshing) {
      // A change while enumerating: enumerate once more afterwards so the last change wins.
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        const all = await this.media.enumerateDevices();
        const lists: Record<MediaDeviceKind, DeviceInfo[]> = { audioinput: [], videoinput: [], audiooutput: [] };
        for (const d of all) lists[d.kind]?.push({ deviceId: d.deviceId, kind: d.kind, label: d.label, groupId: d.groupId });
        this.lists = lists;
        this.resolveAll();
      } while (this.refreshAgain);
    })().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** The devices to choose from for a role. */
  list(role: DeviceRole): readonly DeviceInfo[] {
    return this.lists[ROLE_KIND[role]];
  }

  /** What the role's saved choice resolved to in the current list. */
  match(role: DeviceRole): DeviceMatch {
    return this.matches.get(role)!;
  }

  /** What to tell the user about a role's device (e.g. the chosen one is missing), or null. */
  statusText(role: DeviceRole): string | null {
    return describeMatch(this.match(role), role);
  }

  get processing(): ProcessingSettings {
    const { echoCancellation, noiseSuppression, autoGainControl } = this.settings;
    return { echoCancellation, noiseSuppression, autoGainControl };
  }

  /** The sink id for an output role: '' is the system default, as setSinkId takes it. */
  sinkId(role: 'speaker' | 'ringer'): string {
    const match = this.match(role);
    return match.matchedBy === 'default' || !match.device ? '' : match.device.deviceId;
  }

  /** Where the ringtone and keypad feedback play; '' for the system default. */
  get ringerSinkId(): string {
    return this.sinkId('ringer');
  }

  /** Where call audio plays; '' for the system default. */
  get speakerSinkId(): string {
    return this.sinkId('speaker');
  }

  /** Capture constraints for the microphone: the resolved device and the processing switches. */
  audioConstraints(): MediaTrackConstraints {
    return { ...this.deviceConstraint('microphone'), ...this.processing };
  }

  videoConstraints(): MediaTrackConstraints {
    return this.deviceConstraint('camera');
  }

  /** Whether a live track is the one the settings ask for now (device and processing). */
  satisfies(role: 'microphone' | 'camera', track: MediaStreamTrack): boolean {
    if (track.readyState === 'ended') return false;
    const settings = track.getSettings();
    const wanted = this.match(role).device;
    if (wanted && settings.deviceId !== undefined && settings.deviceId !== wanted.deviceId) return false;
    if (role === 'microphone') {
      for (const key of PROCESSING_KEYS) {
        if (settings[key] !== undefined && settings[key] !== this.settings[key]) return false;
      }
    }
    return true;
  }

  /**
   * What a track for the role would be opened with now (constraints and the
   * device they resolve to). Two equal keys are the same request, so a caller
   * can tell a changed choice or setting from asking again for what a
   * platform already would not give.
   */
  requestKey(role: 'microphone' | 'camera'): string {
    const constraints = role === 'microphone' ? this.audioConstraints() : this.videoConstraints();
    return JSON.stringify({ constraints, device: this.match(role).device?.deviceId ?? null });
  }

  /** Open the microphone (and camera) for a call. */
  async openCallMedia(video: boolean): Promise<MediaStream> {
    if (this.lists.audioinput.length === 0) await this.refresh();
    if (this.lists.audioinput.length === 0) {
      throw new MediaAccessError(t('No microphone was found. Connect one to make calls.'), 'not-found');
    }
    if (video && this.lists.videoinput.length === 0) {
      throw new MediaAccessError(t('No camera was found. Make an audio call, or connect a camera.'), 'not-found');
    }
    return this.open(() => ({ audio: this.audioConstraints(), video: video ? this.videoConstraints() : false }), video);
  }

  async openMicrophone(): Promise<MediaStreamTrack> {
    const stream = await this.open(() => ({ audio: this.audioConstraints() }), false);
    return stream.getAudioTracks()[0]!;
  }

  async openCamera(): Promise<MediaStreamTrack> {
    const stream = await this.open(() => ({ video: this.videoConstraints() }), true);
    return stream.getVideoTracks()[0]!;
  }

  /** Remember a device for a role (null: follow the system default). */
  async choose(role: DeviceRole, device: DeviceInfo | null): Promise<void> {
    await this.save({ [role]: choiceOf(device) });
  }

  async setProcessing(patch: Partial<ProcessingSettings>): Promise<void> {
    await this.save(patch);
  }

  /** Messages about devices for the notice list (kept in the renderer, not by main). */
  get notices(): readonly Notice[] {
    return this.localNotices;
  }

  notify(level: Notice['level'], text: string): void {
    this.addNotice(level, text);
    this.emitChange();
  }

  /** Returns false when the id is not one of ours. */
  dismissNotice(id: string): boolean {
    const before = this.localNotices.length;
    this.localNotices = this.localNotices.filter((n) => n.id !== id);
    if (this.localNotices.length === before) return false;
    this.emitChange();
    return true;
  }

  private deviceConstraint(role: 'microphone' | 'camera'): MediaTrackConstraints {
    const match = this.match(role);
    // The default is opened without a device constraint, so the system's choice applies.
    return match.matchedBy !== 'default' && match.device ? { deviceId: { exact: match.device.deviceId } } : {};
  }

  /** getUserMedia with the current constraints; a chosen device that just vanished falls back to the default once. */
  private async open(constraints: () => MediaStreamConstraints, wantVideo: boolean): Promise<MediaStream> {
    try {
      return await this.media.getUserMedia(constraints());
    } catch (error) {
      const name = (error as { name?: string })?.name;
      const chosen = this.match('microphone').matchedBy !== 'default' || (wantVideo && this.match('camera').matchedBy !== 'default');
      if (!chosen || (name !== 'OverconstrainedError' && name !== 'NotFoundError' && name !== 'NotReadableError')) {
        throw describeMediaError(error, wantVideo);
      }
      await this.refresh();
      try {
        return await this.media.getUserMedia(constraints());
      } catch (retryError) {
        throw describeMediaError(retryError, wantVideo);
      }
    }
  }

  /**
   * Apply at once (the lists and the call follow without waiting for main),
   * then save. Only the fields named are sent: a settings patch changes
   * those and keeps the rest as main has them.
   */
  private async save(patch: Partial<DeviceSettings>): Promise<void> {
    this.applySettings({ ...this.settings, ...patch });
    this.pendingWrites++;
    let saved: DeviceSettings | null = null;
    try {
      saved = await this.port.write(patch);
    } finally {
      // The last answer holds every save before it; a failed save shows what main kept.
      if (--this.pendingWrites === 0) this.applySettings(saved ?? this.port.read());
    }
  }

  private applySettings(next: DeviceSettings): void {
    if (sameSettings(next, this.settings)) return;
    this.settings = next;
    this.resolveAll();
  }

  private resolveAll(): void {
    for (const role of DEVICE_ROLES) {
      const previous = this.matches.get(role);
      const next = findBestMatchingDevice(this.settings[role] as DeviceChoice | null, this.list(role));
      this.matches.set(role, next);
      // The chosen device was in use and is gone now: say so once.
      if (previous && previous.matchedBy !== 'default' && isFallback(next) && sameChoice(previous.choice, next.choice)) {
        const name = previous.device?.label || chosenDevice(role);
        this.addNotice('warning', t('{{name}} was disconnected. Using the system default {{device}} instead.', { name, device: roleNoun(role) }));
      }
    }
    this.emitChange();
  }

  private addNotice(level: Notice['level'], text: string): void {
    this.localNotices = [...this.localNotices, { id: `device-${++this.noticeCounter}`, level, text }];
  }

  private emitChange(): void {
    this.dispatchEvent(new Event('change'));
  }
}

function sameChoice(a: DeviceChoice | null, b: DeviceChoice | null): boolean {
  return a?.deviceId === b?.deviceId && a?.label === b?.label;
}

function sameSettings(a: DeviceSettings, b: DeviceSettings): boolean {
  return (
    DEVICE_ROLES.every((role) => sameChoice(a[role], b[role])) && PROCESSING_KEYS.every((key) => a[key] === b[key])
  );
}

/** The service's view of the app store: device settings read from it, written through main. */
export function storeDevicePort(store: {
  settings: { devices: DeviceSettings };
  api: { updateSettings(patch: { devices: Partial<DeviceSettings> }): Promise<{ devices: DeviceSettings }> };
} & EventTarget): DeviceSettingsPort {
  return {
    read: () => store.settings.devices,
    write: async (patch) => (await store.api.updateSettings({ devices: patch })).devices,
    changes: store,
  };
}
