/**
 * Keeps the call's microphone and camera on the devices the settings resolve
 * to. The user choosing another device, a chosen device being plugged back
 * in, the device in use vanishing (a `devicechange` without it, or its track
 * ending) and the processing switches all come down to one question: does
 * the live track still satisfy the settings? If not, open one that does and
 * replace it on the sender, without renegotiating. A request the platform
 * would not satisfy is not asked for again (see SwitchGate).
 */
import type { CallEngine } from '../call/call-engine.ts';
import type { DeviceService } from './device-service.ts';
import { roleNoun } from './device-matching.ts';
import { SwitchGate } from './switch-gate.ts';
import { t } from '../../common/i18n/index.ts';

type Kind = 'audio' | 'video';
const ROLE = { audio: 'microphone', video: 'camera' } as const;

export class CallDeviceFollower {
  private queue: Promise<void> = Promise.resolve();
  private watched = new Set<MediaStreamTrack>();
  private readonly gate = new SwitchGate<Kind>();
  /** The call's stream the gate's attempts belong to. */
  private stream: MediaStream | null = null;
  private readonly onChange = () => this.sync();

  constructor(
    private readonly engine: CallEngine,
    private readonly devices: DeviceService,
  ) {
    engine.addEventListener('change', this.onChange);
    devices.addEventListener('change', this.onChange);
  }

  dispose(): void {
    this.engine.removeEventListener('change', this.onChange);
    this.devices.removeEventListener('change', this.onChange);
  }

  /** Work out what needs switching; switches run one at a time, in order. */
  private sync(): void {
    const call = this.engine.call;
    const stream = call && call.phase !== 'ended' ? call.localStream : null;
    if (stream !== this.stream) {
      this.stream = stream;
      this.gate.reset();
    }
    if (!stream) {
      this.watched.clear();
      return;
    }
    for (const kind of ['audio', 'video'] as const) {
      const track = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
      if (!track) continue;
      this.watchEnd(track, kind);
      if (this.gate.shouldSwitch(kind, this.trackState(kind, track))) this.enqueue(kind, track);
    }
  }

  private trackState(kind: Kind, track: MediaStreamTrack) {
    return {
      satisfied: this.devices.satisfies(ROLE[kind], track),
      lost: track.readyState === 'ended',
      request: this.devices.requestKey(ROLE[kind]),
    };
  }

  /** A track ends when its device is unplugged or taken away, often before any devicechange. */
  private watchEnd(track: MediaStreamTrack, kind: Kind): void {
    if (this.watched.has(track)) return;
    this.watched.add(track);
    track.addEventListener(
      'ended',
      () => {
        this.watched.delete(track);
        void this.devices.refresh().then(() => this.enqueue(kind, track));
      },
      { once: true },
    );
  }

  private enqueue(kind: Kind, previous: MediaStreamTrack): void {
    this.queue = this.queue.then(() => this.switchFrom(kind, previous)).catch((error) => console.warn('Device switch failed', error));
  }

  private async switchFrom(kind: Kind, previous: MediaStreamTrack): Promise<void> {
    const stream = this.engine.call?.localStream;
    const current = kind === 'audio' ? stream?.getAudioTracks()[0] : stream?.getVideoTracks()[0];
    // Already switched by an earlier queued request, or the call is gone.
    if (!current || current !== previous) return;
    const state = this.trackState(kind, current);
    // Satisfied meanwhile, or this very request was already tried and not given.
    if (!this.gate.shouldSwitch(kind, state)) return;
    this.gate.attempt(kind, state.request);
    const lost = state.lost;
    let track: MediaStreamTrack;
    try {
      track = kind === 'audio' ? await this.devices.openMicrophone() : await this.devices.openCamera();
    } catch (error) {
      this.devices.notify('error', t('Could not switch the {{device}}: {{reason}}', { device: roleNoun(ROLE[kind]), reason: error instanceof Error ? error.message : String(error) }));
      return;
    }
    const switched = await this.engine.switchLocalTrack(kind, track);
    if (switched && lost) {
      this.devices.notify('warning', t('{{name}} stopped working. The call now uses {{other}}.', { name: previous.label || t('The {{device}}', { device: roleNoun(ROLE[kind]) }), other: track.label || t('another device') }));
    }
  }
}
