/** The call in progress: status, videos, timer, and the in-call controls. */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { CALL_MARKS, type CallSnapshot } from '../call/call-engine.ts';
import { controlStyles } from './shared-styles.ts';

export type CallControlEvent = CustomEvent<{ action: 'hang-up' | 'mute' | 'unmute' | 'camera-off' | 'camera-on' | 'dismiss' }>;
/** The user asked for the devices panel from inside the call. */
export type OpenDevicesEvent = CustomEvent<void>;

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
      return `Calling ${call.peer}…`;
    case 'ringing':
      return `Ringing ${call.peer}…`;
    case 'incoming':
      return `${call.peer} is calling`;
    case 'connecting':
      return `Connecting to ${call.peer}…`;
    case 'connected':
      return `In call with ${call.peer}`;
    case 'ended':
      return call.endMessage ?? 'Call ended';
  }
}

@customElement('call-view')
export class CallView extends LitElement {
  static styles = [
    controlStyles,
    css`
      section {
        display: grid;
        gap: 12px;
      }
      header {
        display: flex;
        align-items: baseline;
        gap: 12px;
      }
      h2 {
        margin: 0;
        font-size: 1.1rem;
        flex: 1;
      }
      .timer {
        font-variant-numeric: tabular-nums;
        font-size: 1.1rem;
      }
      .stage {
        position: relative;
        background: #1a202c;
        border-radius: 12px;
        aspect-ratio: 4 / 3;
        max-height: 60vh;
        overflow: hidden;
      }
      .stage[hidden] {
        display: none;
      }
      video.remote {
        width: 100%;
        height: 100%;
        object-fit: contain;
      }
      video.local {
        position: absolute;
        right: 12px;
        bottom: 12px;
        width: 28%;
        border-radius: 8px;
        border: 2px solid #fff;
        transform: scaleX(-1);
        background: #2d3748;
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
  @state() private now = Date.now();
  @query('video.remote') private remoteVideo?: HTMLVideoElement;
  @query('video.local') private localVideo?: HTMLVideoElement;
  @query('audio.remote') private remoteAudio?: HTMLAudioElement;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private markedFirstFrameFor: MediaStream | null = null;
  /** The sink last asked of the remote audio ('' is where a new element plays). */
  private requestedSinkId = '';

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopTicker();
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
    if (call.remoteStream && this.remoteVideo && this.markedFirstFrameFor !== call.remoteStream) {
      this.markedFirstFrameFor = call.remoteStream;
      this.remoteVideo.requestVideoFrameCallback(() => performance.mark(CALL_MARKS.firstRemoteFrame));
    }
  }

  render() {
    const { call } = this;
    const live = call.phase !== 'ended';
    const showVideo = live && (call.video || call.remoteOffersVideo);
    return html`<section aria-label="Call with ${call.peer}">
      <header>
        <h2 role="status" aria-live="polite" class=${live ? '' : 'ended'} data-phase=${call.phase}>${phaseText(call)}</h2>
        ${call.phase === 'connected' && call.connectedAt !== null
          ? html`<span class="timer" role="timer" aria-label="Call duration">${formatDuration(this.now - call.connectedAt)}</span>`
          : ''}
      </header>
      <div class="stage" ?hidden=${!showVideo}>
        <video class="remote" aria-label="Video from ${call.peer}" autoplay playsinline muted></video>
        <video class="local" aria-label="Your camera" autoplay playsinline muted ?hidden=${!call.video || call.cameraOff}></video>
      </div>
      <audio class="remote" autoplay></audio>
      <div class="controls">
        ${live
          ? html`
              <button aria-pressed=${call.muted ? 'true' : 'false'} @click=${() => this.emit(call.muted ? 'unmute' : 'mute')}>
                ${call.muted ? 'Unmute' : 'Mute'}
              </button>
              ${call.video
                ? html`<button aria-pressed=${call.cameraOff ? 'true' : 'false'} @click=${() => this.emit(call.cameraOff ? 'camera-on' : 'camera-off')}>
                    ${call.cameraOff ? 'Camera on' : 'Camera off'}
                  </button>`
                : ''}
              <button aria-haspopup="dialog" @click=${this.openDevices}>Devices</button>
              <button class="danger" @click=${() => this.emit('hang-up')}>Hang up</button>
            `
          : html`<button @click=${() => this.emit('dismiss')}>Close</button>`}
      </div>
    </section>`;
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
  }
}
