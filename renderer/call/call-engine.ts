/**
 * The call state machine: one call at a time, outgoing or incoming, driven by
 * the user (start, accept, decline, hang up, mute, camera) and by signals from
 * the other side. Media lives in PeerSession; the engine decides when.
 *
 * A call never changes hands (see signal-matching.ts): its signals carry its
 * id, or — for the MDN tutorial's client, which sends none — come from the
 * server session that offered or answered it. Any other offer during a call
 * is a second call, refused as busy and shown to the user as missed.
 */
import type { InboundSignal, OutboundSignal, SignalError } from '../../common/ipc-contract.ts';
import type { Feature, HangupReason, SessionDescription } from '../../common/signaling-protocol.ts';
import { openCamera, openLocalMedia, MediaAccessError } from './local-media.ts';
import { PeerSession } from './peer-session.ts';
import { preferMatchingTelephoneEvent } from './dtmf/telephone-event-sdp.ts';
import { describeEnd, type CallEndReason } from './call-end-reason.ts';
import { bindingAfter, bindingOfOffer, classifyOffer, HeldSignals, isErrorForCall, matchSignal, type CallIdentity, type InCallSignal, type OfferSignal, type PeerBinding } from './signal-matching.ts';

export type CallPhase = 'calling' | 'ringing' | 'incoming' | 'connecting' | 'connected' | 'ended';

export interface CallSnapshot {
  readonly id: string;
  readonly peer: string;
  readonly direction: 'outgoing' | 'incoming';
  /** Whether we send video in this call. */
  readonly video: boolean;
  /** Whether the other side offered video (known for incoming calls before answering). */
  readonly remoteOffersVideo: boolean;
  readonly phase: CallPhase;
  readonly connectedAt: number | null;
  readonly endReason: CallEndReason | null;
  readonly endMessage: string | null;
  readonly muted: boolean;
  readonly cameraOff: boolean;
  readonly localStream: MediaStream | null;
  readonly remoteStream: MediaStream | null;
  /** Abilities the other side announced, e.g. `dtmf-signaling`. */
  readonly remoteFeatures: readonly string[];
  /** Keys and pauses to send once the call is answered (from a dial string or the contact). */
  readonly postDial: string;
}

/** Keys the other side sent us over signaling. */
export type DtmfReceivedEvent = CustomEvent<{ from: string; tones: string }>;
/** Someone called while we were in a call; they were told we are busy. `peer` is who we are in the call with. */
export type MissedWhileBusyEvent = CustomEvent<{ from: string; peer: string }>;

/** What this softphone tells every peer it can do. */
const OUR_FEATURES: Feature[] = ['dtmf-signaling'];

export interface SignalingPort {
  send(signal: OutboundSignal): Promise<unknown>;
}

export interface CallEngineOptions {
  /** The configuration for each new call's RTCPeerConnection, read when the call starts. */
  rtcConfiguration?: RTCConfiguration | (() => RTCConfiguration);
  /** How long an outgoing call rings before it counts as unanswered. */
  ringTimeoutMs?: number;
  openMedia?: (video: boolean) => Promise<MediaStream>;
  /** Opens the camera again after "Camera off". */
  openCamera?: () => Promise<MediaStreamTrack>;
}

/** Marks the benchmark reads to time call setup as a user sees it. */
export const CALL_MARKS = {
  started: 'softphone:call-started',
  connected: 'softphone:call-connected',
  firstRemoteFrame: 'softphone:first-remote-frame',
} as const;

interface ActiveCall {
  snapshot: CallSnapshot;
  session: PeerSession;
  remoteOffer: SessionDescription | null;
  ringTimer: ReturnType<typeof setTimeout> | null;
  /** How the other side's signals are recognised. */
  binding: PeerBinding;
  /** Candidates without a call id that arrived before the answer that says whose they are. */
  held: HeldSignals<Extract<InCallSignal, { type: 'new-ice-candidate' }>>;
}

let callCounter = 0;
function newCallId(): string {
  const random = crypto.getRandomValues(new Uint32Array(2));
  return `c${Date.now().toString(36)}-${(callCounter++).toString(36)}-${random[0]!.toString(36)}${random[1]!.toString(36)}`;
}

export class CallEngine extends EventTarget {
  private active: ActiveCall | null = null;
  private readonly rtcConfiguration: () => RTCConfiguration;
  private readonly ringTimeoutMs: number;
  private readonly openMedia: (video: boolean) => Promise<MediaStream>;
  private readonly openCameraTrack: () => Promise<MediaStreamTrack>;

  constructor(
    private readonly signaling: SignalingPort,
    options: CallEngineOptions = {},
  ) {
    super();
    // No STUN/TURN by default: the app must work on a LAN or loopback with no
    // third-party server, and a default public STUN server would leak traffic.
    const rtc = options.rtcConfiguration ?? { iceServers: [] };
    this.rtcConfiguration = typeof rtc === 'function' ? rtc : () => rtc;
    this.ringTimeoutMs = options.ringTimeoutMs ?? 30_000;
    this.openMedia = options.openMedia ?? openLocalMedia;
    this.openCameraTrack = options.openCamera ?? openCamera;
  }

  /** The current or last call; null when there has been none since dismiss(). */
  get call(): CallSnapshot | null {
    return this.active?.snapshot ?? null;
  }

  get busy(): boolean {
    return this.active !== null && this.active.snapshot.phase !== 'ended';
  }

  async startCall(peer: string, { video, postDial = '' }: { video: boolean; postDial?: string }): Promise<void> {
    if (this.busy) throw new Error('Finish the current call before starting another.');
    for (const mark of Object.values(CALL_MARKS)) performance.clearMarks(mark);
    performance.mark(CALL_MARKS.started);
    const id = newCallId();
    const active = this.createCall({ id, peer, direction: 'outgoing', video, remoteOffersVideo: false, phase: 'calling', postDial });
    let stream: MediaStream;
    try {
      stream = await this.openMedia(video);
    } catch (error) {
      this.end(active, 'media-error', error instanceof MediaAccessError ? error.message : String(error));
      return;
    }
    if (!this.attachMedia(active, stream)) return;
    try {
      const sdp = await active.session.createOffer();
      if (!this.isCurrent(active)) return;
      await this.signaling.send({ type: 'video-offer', target: peer, callId: id, sdp, video, features: OUR_FEATURES });
    } catch (error) {
      this.end(active, 'not-connected', `Could not call ${peer}: ${errorText(error)}`);
      return;
    }
    active.ringTimer = setTimeout(() => {
      if (this.isCurrent(active) && (active.snapshot.phase === 'calling' || active.snapshot.phase === 'ringing')) {
        this.sendHangup(active, 'no-answer');
        this.end(active, 'no-answer');
      }
    }, this.ringTimeoutMs);
  }

  async accept(): Promise<void> {
    const active = this.active;
    if (!active || active.snapshot.phase !== 'incoming' || !active.remoteOffer) return;
    const video = active.snapshot.remoteOffersVideo;
    this.update(active, { phase: 'connecting', video });
    let stream: MediaStream;
    try {
      stream = await this.openMedia(video);
    } catch (error) {
      if (video) {
        // A call answered without a camera is better than a call refused.
        try {
          stream = await this.openMedia(false);
          this.update(active, { video: false });
        } catch (audioError) {
          this.failIncoming(active, audioError);
          return;
        }
      } else {
        this.failIncoming(active, error);
        return;
      }
    }
    if (!this.attachMedia(active, stream)) return;
    try {
      const sdp = await active.session.answer(active.remoteOffer);
      await this.signaling.send({ type: 'video-answer', target: active.snapshot.peer, callId: active.snapshot.id, sdp, features: OUR_FEATURES });
    } catch (error) {
      this.sendHangup(active, 'failed');
      this.end(active, 'failed', `Could not answer: ${errorText(error)}`);
    }
  }

  decline(): void {
    const active = this.active;
    if (!active || active.snapshot.phase !== 'incoming') return;
    this.sendHangup(active, 'declined');
    this.end(active, 'local-decline');
  }

  hangUp(): void {
    const active = this.active;
    if (!active || active.snapshot.phase === 'ended') return;
    if (active.snapshot.phase === 'incoming') return this.decline();
    const outgoingUnanswered = active.snapshot.phase === 'calling' || active.snapshot.phase === 'ringing';
    this.sendHangup(active, outgoingUnanswered ? 'cancelled' : 'hangup');
    this.end(active, 'local-hangup');
  }

  /** Forget an ended call so the UI returns to idle. */
  dismiss(): void {
    if (this.active?.snapshot.phase === 'ended') {
      this.active = null;
      this.emitChange();
    }
  }

  setMuted(muted: boolean): void {
    const active = this.active;
    if (!active) return;
    active.snapshot.localStream?.getAudioTracks().forEach((t) => (t.enabled = !muted));
    this.update(active, { muted });
  }

  /** Camera off releases the camera (its light goes out); on opens it again. No renegotiation. */
  async setCameraOff(cameraOff: boolean): Promise<void> {
    const active = this.active;
    if (!active || !active.snapshot.video || active.snapshot.phase === 'ended') return;
    if (cameraOff) {
      await active.session.replaceTrack('video', null);
      this.update(active, { cameraOff: true });
    } else {
      const track = await this.openCameraTrack();
      if (!this.isCurrent(active)) return track.stop();
      await active.session.replaceTrack('video', track);
      this.update(active, { cameraOff: false });
    }
  }

  /**
   * Send from another microphone or camera (the user switched, or the device
   * went away): the sender's track is replaced without renegotiating, and mute
   * stays as it was. False, with the track stopped, when no live call takes it.
   */
  async switchLocalTrack(kind: 'audio' | 'video', track: MediaStreamTrack): Promise<boolean> {
    const active = this.active;
    const usable = (a: ActiveCall | null): a is ActiveCall =>
      a !== null && this.isCurrent(a) && a.snapshot.phase !== 'ended' && a.snapshot.localStream !== null && !(kind === 'video' && a.snapshot.cameraOff);
    if (!usable(active)) {
      track.stop();
      return false;
    }
    if (kind === 'audio') track.enabled = !active.snapshot.muted;
    try {
      await active.session.replaceTrack(kind, track);
    } catch (error) {
      console.warn(`Could not switch the ${kind} device`, error);
      track.stop();
      return false;
    }
    if (!usable(active)) return false;
    this.emitChange();
    return true;
  }

  /** A signal from the other side, as main delivered it. */
  async handleSignal(signal: InboundSignal): Promise<void> {
    if (signal.type === 'video-offer') return this.handleOffer(signal);
    const active = this.active;
    if (!active || active.snapshot.phase === 'ended') return;
    const verdict = matchSignal(identity(active), signal);
    if (verdict === 'foreign') return;
    if (verdict === 'hold') {
      if (signal.type === 'new-ice-candidate') active.held.hold(signal);
      return;
    }
    await this.bind(active, signal);
    switch (signal.type) {
      case 'ringing':
        if (active.snapshot.phase === 'calling') this.update(active, { phase: 'ringing' });
        return;
      case 'video-answer':
        // (Held candidates were added above, with an await: the call may have ended meanwhile.)
        if (active.snapshot.direction !== 'outgoing' || !this.isLive(active)) return;
        this.clearRingTimer(active);
        this.update(active, { phase: 'connecting', remoteFeatures: signal.features ?? [] });
        try {
          // Only the answer's telephone-event that matches our codec: the browser then sends events the peer decodes.
          await active.session.setRemoteDescription({ ...signal.sdp, sdp: preferMatchingTelephoneEvent(signal.sdp.sdp) });
        } catch (error) {
          this.sendHangup(active, 'failed');
          this.end(active, 'failed', `The answer from ${active.snapshot.peer} could not be used: ${errorText(error)}`);
        }
        return;
      case 'new-ice-candidate':
        await active.session.addRemoteCandidate(signal.candidate);
        return;
      case 'hang-up':
        return this.handleRemoteHangup(active, signal.reason);
      case 'dtmf':
        if (active.snapshot.phase === 'connected') {
          this.dispatchEvent(new CustomEvent('dtmf-received', { detail: { from: signal.name, tones: signal.tones } }) satisfies DtmfReceivedEvent);
        }
        return;
    }
  }

  /** The first reply to a call we placed says how its peer is recognised from now on; held candidates of that session then count. */
  private async bind(active: ActiveCall, signal: InCallSignal): Promise<void> {
    const before = active.binding;
    active.binding = bindingAfter(identity(active), signal);
    if (before === active.binding) return;
    const early = active.binding.kind === 'session' ? active.held.release(active.binding.sid) : [];
    active.held.clear();
    for (const held of early) await active.session.addRemoteCandidate(held.candidate);
  }

  /** The server could not deliver a signal of ours. */
  handleSignalError(error: SignalError): void {
    const active = this.active;
    if (!active || active.snapshot.phase === 'ended') return;
    if (!isErrorForCall(identity(active), error)) return;
    if (error.code === 'unknown-target') this.end(active, 'offline');
    else this.end(active, 'failed', `The server refused the call: ${error.message}`);
  }

  /** The sender carrying our microphone in the live call: the keypad sends through it. */
  audioSender(): RTCRtpSender | null {
    const active = this.active;
    if (!active || active.snapshot.phase === 'ended') return null;
    return active.session.sender('audio') ?? null;
  }

  /** Everything stops: used when the window goes away. */
  shutdown(): void {
    if (this.busy) this.hangUp();
  }

  private async handleOffer(signal: OfferSignal): Promise<void> {
    const active = this.active && this.active.snapshot.phase !== 'ended' ? this.active : null;
    const verdict = classifyOffer(active && { ...identity(active), connected: active.snapshot.phase === 'connected' }, signal);
    if (active && verdict === 'renegotiation') {
      // The same peer changing the media of this call (the tutorial client does on track changes).
      try {
        const sdp = await active.session.answer(signal.sdp);
        await this.signaling.send({ type: 'video-answer', target: active.snapshot.peer, callId: active.snapshot.id, sdp });
      } catch (error) {
        console.warn(`Could not answer a renegotiation from ${active.snapshot.peer}`, error);
      }
      return;
    }
    if (active && verdict === 'repeat') {
      console.warn(`Ignoring a repeated offer from ${signal.name} before the call is connected`);
      return;
    }
    if (active && verdict === 'busy') {
      // A second call, never answered: the caller hears busy, the user sees it was missed.
      await this.signaling.send({ type: 'hang-up', target: signal.name, callId: signal.callId, reason: 'busy' }).catch(() => {});
      this.dispatchEvent(new CustomEvent('missed-while-busy', { detail: { from: signal.name, peer: active.snapshot.peer } }) satisfies MissedWhileBusyEvent);
      return;
    }
    const remoteOffersVideo = signal.video ?? /^m=video /m.test(signal.sdp.sdp);
    const call = this.createCall({
      // A tutorial client sends no call id: we make one, and match its signals by its session.
      id: signal.callId ?? `legacy-${newCallId()}`,
      peer: signal.name,
      direction: 'incoming',
      video: remoteOffersVideo,
      remoteOffersVideo,
      phase: 'incoming',
      postDial: '',
    });
    call.snapshot = { ...call.snapshot, remoteFeatures: signal.features ?? [] };
    call.remoteOffer = signal.sdp;
    call.binding = bindingOfOffer(signal);
    if (signal.callId) {
      await this.signaling.send({ type: 'ringing', target: signal.name, callId: signal.callId }).catch(() => {});
    }
  }

  private handleRemoteHangup(active: ActiveCall, reason: HangupReason | undefined): void {
    const { phase } = active.snapshot;
    if (phase === 'ended') return;
    if (phase === 'incoming') return this.end(active, 'missed');
    if (phase === 'calling' || phase === 'ringing') {
      if (reason === 'busy') return this.end(active, 'busy');
      if (reason === 'declined') return this.end(active, 'declined');
      if (reason === 'no-answer') return this.end(active, 'no-answer');
    }
    this.end(active, reason === 'failed' ? 'failed' : 'remote-hangup');
  }

  /** Give the call its media, unless the user moved on while the devices opened. */
  private attachMedia(active: ActiveCall, stream: MediaStream): boolean {
    if (!this.isCurrent(active) || active.snapshot.phase === 'ended') {
      stream.getTracks().forEach((t) => t.stop());
      return false;
    }
    active.session.attachLocalMedia(stream);
    this.update(active, { localStream: stream });
    return true;
  }

  private failIncoming(active: ActiveCall, error: unknown): void {
    this.sendHangup(active, 'failed');
    this.end(active, 'media-error', error instanceof MediaAccessError ? error.message : errorText(error));
  }

  private createCall(init: Pick<CallSnapshot, 'id' | 'peer' | 'direction' | 'video' | 'remoteOffersVideo' | 'phase' | 'postDial'>): ActiveCall {
    this.active?.session.close();
    const snapshot: CallSnapshot = {
      ...init,
      connectedAt: null,
      endReason: null,
      endMessage: null,
      muted: false,
      cameraOff: false,
      localStream: null,
      remoteStream: null,
      remoteFeatures: [],
    };
    const active: ActiveCall = {
      snapshot,
      remoteOffer: null,
      ringTimer: null,
      // Our own calls wait for the answer to learn whether the peer sends call ids.
      binding: init.direction === 'outgoing' ? { kind: 'unconfirmed' } : { kind: 'call-id' },
      held: new HeldSignals(),
      session: new PeerSession(this.rtcConfiguration(), {
        onLocalCandidate: (candidate) => {
          if (!this.isCurrent(active) || active.snapshot.phase === 'ended') return;
          this.signaling
            .send({ type: 'new-ice-candidate', target: active.snapshot.peer, callId: active.snapshot.id, candidate })
            .catch((error) => console.warn('Could not send an ICE candidate', error));
        },
        onRemoteStream: (stream) => {
          if (this.isCurrent(active)) this.update(active, { remoteStream: stream });
        },
        onConnectionState: (state) => this.handleConnectionState(active, state),
      }),
    };
    this.active = active;
    this.emitChange();
    return active;
  }

  private handleConnectionState(active: ActiveCall, state: RTCPeerConnectionState): void {
    if (!this.isCurrent(active) || active.snapshot.phase === 'ended') return;
    if (state === 'connected' && active.snapshot.phase !== 'connected') {
      performance.mark(CALL_MARKS.connected);
      this.clearRingTimer(active);
      this.update(active, { phase: 'connected', connectedAt: Date.now() });
    } else if (state === 'failed') {
      this.sendHangup(active, 'failed');
      this.end(active, 'failed', `The connection to ${active.snapshot.peer} failed.`);
    }
  }

  private sendHangup(active: ActiveCall, reason: HangupReason): void {
    this.signaling
      .send({ type: 'hang-up', target: active.snapshot.peer, callId: active.snapshot.id, reason })
      .catch((error) => console.warn('Could not send hang-up', error));
  }

  private end(active: ActiveCall, reason: CallEndReason, detail?: string): void {
    if (!this.isCurrent(active) || active.snapshot.phase === 'ended') return;
    this.clearRingTimer(active);
    active.held.clear();
    active.session.close();
    this.update(active, {
      phase: 'ended',
      endReason: reason,
      endMessage: detail ?? describeEnd(reason, active.snapshot.peer),
      localStream: null,
      remoteStream: null,
    });
  }

  private clearRingTimer(active: ActiveCall): void {
    if (active.ringTimer) clearTimeout(active.ringTimer);
    active.ringTimer = null;
  }

  private isCurrent(active: ActiveCall): boolean {
    return this.active === active;
  }

  private isLive(active: ActiveCall): boolean {
    return this.isCurrent(active) && active.snapshot.phase !== 'ended';
  }

  private update(active: ActiveCall, patch: Partial<CallSnapshot>): void {
    active.snapshot = { ...active.snapshot, ...patch };
    this.emitChange();
  }

  private emitChange(): void {
    this.dispatchEvent(new Event('change'));
  }
}

function identity(active: ActiveCall): CallIdentity {
  return { id: active.snapshot.id, peer: active.snapshot.peer, binding: active.binding };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
