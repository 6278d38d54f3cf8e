/** The call in progress: status, videos, timer, and the in-call controls. */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { CALL_MARKS, type CallSnapshot } from '../call/call-engine.ts';
import { controlStyles } from './shared-styles.ts';
import { avatar, avatarStyles } from '../avatar/avatar.ts';
import type { CallContactEvent } from './contact-list.ts';
import { t } from '../../common/i18n/index.ts';
import { LocaleController } from '../state/locale-controller.ts';

export type CallControlEvent = CustomEvent<{
  action: 'hang-up' | 'mute' | 'unmute' | 'camera-off' | 'camera-on' | 'dismiss' | 'show-keypad' | 'hide-keypad';
}>;
/** The user asked for the devices panel from inside the call. */
export type OpenDevicesEvent = CustomEvent<void>;
/** The user asked to save the other side of the call (here or on the ringing panel) as a contact. */
export type AddCallerEvent = CustomEvent<void>;

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
  return hours ? `${hours}:${mmss}` : mmss;
}

function phaseText(call: CallSnapshot): string {
  switch (call.phase) {
    case 'calling':
      return t('Calling {{name}}…', { name: call.peer });
    case 'ringing':
      return t('Ringing {{name}}…', { name: call.peer });
    case 'incoming':
      return t('{{name}} is calling', { name: call.peer });
    case 'connecting':
      return t('Connecting to {{name}}…', { name: call.peer });
    case 'connected':
      return t('In call with {{name}}', { name: call.peer });
    case 'ended':
      return call.endMessage ?? t('Call ended');
  }
}

/** A camera sends many frames a second, even of a still picture; none for this long means it is off. */
const STALL_MS = 1500;

@customElement('call-view')
export class CallView extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [
    controlStyles,
    avatarStyles,
    css`
      section {
        display: grid;
        gap: 12px;
        border-radius: 8px;
      }
      header {
        display: flex;
        align-items: center;
        flex-wrap: wrap;
        gap: 4px 12px;
        --avatar-size: 2.5rem;
      }
      h2 {
        margin: 0;
        font-size: 1.15rem;
        flex: 1 1 12rem;
      }
      .timer {
        font-variant-numeric: tabular-nums;
        font-size: 1.1rem;
      }
      .muted-note {
        margin: 0;
        padding: 6px 10px;
        border-radius: 8px;
        background: var(--sp-warn-bg);
        color: var(--sp-text);
        border-left: 4px solid var(--sp-warn);
        font-weight: 600;
      }
      .stage {
        position: relative;
        background: var(--sp-stage);
        border-radius: 12px;
        aspect-ratio: 4 / 3;
        /* The picture fits the window: what is above and below it in the call takes about 250 px. */
        max-height: max(180px, calc(100dvh - 260px));
        overflow: hidden;
      }
      .stage[hidden] {
        display: none;
      }
      video.remote {
        width: 100%;
        height: 100%;
        object-fit: contain;
        display: block;
      }
      /* Opaque, over the last frame: the video keeps playing underneath, so new frames are noticed. */
      .camera-off {
        position: absolute;
        inset: 0;
        background: var(--sp-stage);
        display: grid;
        place-content: center;
        justify-items: center;
        gap: 12px;
        margin: 0;
        color: var(--sp-stage-text);
        text-align: center;
      }
      .camera-off .avatar {
        width: clamp(4rem, 22%, 8rem);
        height: auto;
        aspect-ratio: 1;
        font-size: clamp(1.5rem, 6vw, 3rem);
      }
      video.local {
        position: absolute;
        right: 12px;
        bottom: 12px;
        width: 28%;
        border-radius: 8px;
        border: 2px solid var(--sp-stage-text);
        transform: scaleX(-1);
        background: var(--sp-stage);
      }
      .controls {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
      }
      .controls button {
        min-height: 40px;
        min-width: 6rem;
      }
      .ended {
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) call!: CallSnapshot;
  /** The output device for the other side's voice; '' is the system default. */
  @property({ attribute: false }) speakerSinkId = '';
  /** Whether the keypad is shown under the call; null: this call has no keypad (the toggle is not offered). */
  @property({ attribute: false }) keypadShown: boolean | null = null;
  /** The other side is not a saved contact: Add to contacts is offered. */
  @property({ type: Boolean }) canAddContact = false;
  @state() private now = Date.now();
  /** The other side has a video track that is live and not muted. */
  @state() private remoteTrackLive = false;
  /** Frames stopped coming (the other side turned the camera off: the track is not muted by that). */
  @state() private remoteVideoStalled = false;
  @query('section') private sectionElement?: HTMLElement;
  @query('video.remote') private remoteVideo?: HTMLVideoElement;
  @query('video.local') private localVideo?: HTMLVideoElement;
  @query('audio.remote') private remoteAudio?: HTMLAudioElement;
  @query('.controls button.after-call') private afterCallButton?: HTMLButtonElement;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private markedFirstFrameFor: MediaStream | null = null;
  /** Remote video tracks whose mute and unmute we follow (Chromium mutes a track when its frames stop coming). */
  private readonly watchedTracks = new Set<MediaStreamTrack>();
  /** Counts the frames the remote video shows, to see when they stop. */
  private frameWatch: { timer: ReturnType<typeof setInterval>; frames: number; changedAt: number } | null = null;
  /** The sink last asked of the remote audio ('' is where a new element plays). */
  private requestedSinkId = '';

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopTicker();
    this.unwatchTracks();
    this.stopFrameWatch();
  }

  /** Put the keyboard on the call itself, so typed digits go to the keypad and the screen reader says who the call is with. */
  async focusCall(): Promise<void> {
    await this.updateComplete;
    this.sectionElement?.focus();
  }

  /** After the call ended: the keyboard on "Call back" for a missed call, else on Close. */
  async focusAfterCall(): Promise<void> {
    await this.updateComplete;
    this.afterCallButton?.focus();
  }

  protected updated(changed: PropertyValues<this>): void {
    this.applySpeaker();
    if (!changed.has('call')) return;
    const { call } = this;
    if (call.phase === 'connected' && !this.ticker) {
      this.ticker = setInterval(() => (this.now = Date.now()), 500);
    } else if (call.phase !== 'connected') {
      this.stopTicker();
    }
    this.attach(this.localVideo, call.localStream);
    this.attach(this.remoteVideo, call.remoteStream);
    this.attach(this.remoteAudio, call.remoteStream);
    this.watchRemoteVideo(call.remoteStream);
    if (call.phase === 'connected' && (call.video || call.remoteOffersVideo)) this.startFrameWatch();
    else this.stopFrameWatch();
    if (call.remoteStream && this.remoteVideo && this.markedFirstFrameFor !== call.remoteStream) {
      this.markedFirstFrameFor = call.remoteStream;
      this.remoteVideo.requestVideoFrameCallback(() => performance.mark(CALL_MARKS.firstRemoteFrame));
    }
  }

  render() {
    const { call } = this;
    const live = call.phase !== 'ended';
    const showVideo = live && (call.video || call.remoteOffersVideo);
    const pictureOff = showVideo && (!this.remoteTrackLive || this.remoteVideoStalled);
    // The header's avatar is for audio calls: a video call shows their picture, or their initials large while the camera is off.
    return html`<section aria-label=${t('Call with {{name}}', { name: call.peer })} tabindex="-1">
      <header>
        ${showVideo ? '' : avatar(call.peer)}
        <h2 role="status" aria-live="polite" class=${live ? '' : 'ended'} data-phase=${call.phase}>${phaseText(call)}</h2>
        ${call.phase === 'connected' && call.connectedAt !== null
          ? html`<span class="timer" role="timer" aria-label=${t('Call duration')}>${formatDuration(this.now - call.connectedAt)}</span>`
          : ''}
      </header>
      ${live && call.muted ? html`<p class="muted-note" role="status">${t('You are muted. {{name}} cannot hear you.', { name: call.peer })}</p>` : ''}
      <div class="stage" ?hidden=${!showVideo}>
        <video class="remote ${pictureOff ? 'off' : ''}" aria-label=${t('Video from {{name}}', { name: call.peer })} autoplay playsinline muted></video>
        ${pictureOff
          ? html`<p class="camera-off" data-testid="remote-camera-off">
              ${avatar(call.peer)}
              <span>${call.phase === 'connected' ? t("{{name}}'s camera is off", { name: call.peer }) : t("Waiting for {{name}}'s video", { name: call.peer })}</span>
            </p>`
          : ''}
        <video class="local" aria-label=${t('Your camera')} autoplay playsinline muted ?hidden=${!call.video || call.cameraOff}></video>
      </div>
      <audio class="remote" autoplay></audio>
      <div class="controls">${live ? this.liveControls(call) : this.endedControls(call)}</div>
    </section>`;
  }

  private liveControls(call: CallSnapshot) {
    return html`
      <button aria-pressed=${call.muted ? 'true' : 'false'} @click=${() => this.emit(call.muted ? 'unmute' : 'mute')}>${call.muted ? t('Unmute') : t('Mute')}</button>
      ${call.video
        ? html`<button aria-pressed=${call.cameraOff ? 'true' : 'false'} @click=${() => this.emit(call.cameraOff ? 'camera-on' : 'camera-off')}>
            ${call.cameraOff ? t('Camera on') : t('Camera off')}
          </button>`
        : ''}
      ${this.keypadShown !== null
        ? html`<button aria-pressed=${this.keypadShown ? 'true' : 'false'} @click=${() => this.emit(this.keypadShown ? 'hide-keypad' : 'show-keypad')}>${t('Keypad')}</button>`
        : ''}
      <button aria-haspopup="dialog" @click=${this.openDevices}>${t('Devices')}</button>
      ${this.addContactButton()}
      <button class="danger" @click=${() => this.emit('hang-up')}>${t('Hang up')}</button>
    `;
  }

  /** Close, and calling the same person again (back, for a call that came in). */
  private endedControls(call: CallSnapshot) {
    const missed = call.endReason === 'missed';
    const again = call.direction === 'incoming' ? t('Call {{name}} back', { name: call.peer }) : t('Call {{name}} again', { name: call.peer });
    const redial = html`<button class=${missed ? 'after-call' : ''} @click=${() => this.callAgain(call)}>${again}</button>`;
    const close = html`<button class=${missed ? '' : 'after-call'} @click=${() => this.emit('dismiss')}>${t('Close')}</button>`;
    return call.endReason === 'media-error' || call.endReason === 'not-connected' ? close : html`${redial}${this.addContactButton()}${close}`;
  }

  private addContactButton() {
    if (!this.canAddContact) return '';
    const add = () => this.dispatchEvent(new CustomEvent('add-caller-to-contacts', { bubbles: true, composed: true }) satisfies AddCallerEvent);
    return html`<button aria-haspopup="dialog" @click=${add}>${t('Add to contacts')}</button>`;
  }

  private callAgain(call: CallSnapshot): void {
    const detail = { name: call.address, video: call.video || call.remoteOffersVideo, postDial: call.postDial, account: call.account };
    this.dispatchEvent(new CustomEvent('call-contact', { detail, bubbles: true, composed: true }) satisfies CallContactEvent);
  }

  private watchRemoteVideo(stream: MediaStream | null): void {
    const tracks = stream?.getVideoTracks() ?? [];
    for (const track of this.watchedTracks) if (!tracks.includes(track)) this.unwatchTrack(track);
    for (const track of tracks) {
      if (this.watchedTracks.has(track)) continue;
      this.watchedTracks.add(track);
      for (const type of ['mute', 'unmute', 'ended']) track.addEventListener(type, this.followRemoteVideo);
    }
    this.followRemoteVideo();
  }

  private readonly followRemoteVideo = () => {
    this.remoteTrackLive = [...this.watchedTracks].some((t) => t.readyState === 'live' && !t.muted);
  };

  /**
   * Chromium does not mute a remote track when the sender stops sending (its
   * camera off is a sender without a track), so the picture would freeze:
   * frames that stop coming for STALL_MS mean the camera is off.
   */
  private startFrameWatch(): void {
    if (this.frameWatch) return;
    const watch = { frames: -1, changedAt: performance.now(), timer: setInterval(() => this.checkFrames(), 250) };
    this.frameWatch = watch;
  }

  private checkFrames(): void {
    const watch = this.frameWatch;
    const video = this.remoteVideo;
    if (!watch || !video) return;
    const frames = video.getVideoPlaybackQuality().totalVideoFrames;
    const now = performance.now();
    if (frames !== watch.frames) {
      watch.frames = frames;
      watch.changedAt = now;
    }
    this.remoteVideoStalled = now - watch.changedAt > STALL_MS;
  }

  private stopFrameWatch(): void {
    if (this.frameWatch) clearInterval(this.frameWatch.timer);
    this.frameWatch = null;
    this.remoteVideoStalled = false;
  }

  private unwatchTrack(track: MediaStreamTrack): void {
    for (const type of ['mute', 'unmute', 'ended']) track.removeEventListener(type, this.followRemoteVideo);
    this.watchedTracks.delete(track);
  }

  private unwatchTracks(): void {
    for (const track of [...this.watchedTracks]) this.unwatchTrack(track);
  }

  /**
   * Route the call audio to the chosen speaker, once per choice: a device that
   * is gone leaves it where it was, and is not asked for again on every render
   * (the timer renders twice a second) until the choice changes.
   */
  private applySpeaker(): void {
    const audio = this.remoteAudio;
    if (!audio || this.requestedSinkId === this.speakerSinkId) return;
    this.requestedSinkId = this.speakerSinkId;
    audio.setSinkId(this.speakerSinkId).catch((error: unknown) => console.warn('Could not switch the speaker', error));
  }

  private readonly openDevices = () => {
    this.dispatchEvent(new CustomEvent('open-devices', { bubbles: true, composed: true }) satisfies OpenDevicesEvent);
  };

  private attach(element: HTMLMediaElement | undefined, stream: MediaStream | null): void {
    if (element && element.srcObject !== stream) element.srcObject = stream;
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }

  private emit(action: CallControlEvent['detail']['action']): void {
    this.dispatchEvent(new CustomEvent('call-control', { detail: { action }, bubbles: true, composed: true }) satisfies CallControlEvent);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'call-view': CallView;
  }
  interface HTMLElementEventMap {
    'call-control': CallControlEvent;
    'open-devices': OpenDevicesEvent;
    'add-caller-to-contacts': AddCallerEvent;
  }
}
