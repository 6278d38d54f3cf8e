/**
 * The call state machine: one call at a time, outgoing or incoming, driven by
 * the user (start, accept, decline, hang up, mute, camera) and by call events
 * from main. Media lives in PeerSession; the engine decides when.
 *
 * It speaks the call vocabulary (common/call-messages.ts), never a wire
 * format: main's providers carry it over the app's signaling server or SIP.
 * Events carry the call id main or the engine chose, so a call never changes
 * hands; an incoming call during a call is refused as busy and shown to the
 * user as missed.
 */
import { APP_ACCOUNT, type AccountId, type CallCommand, type CallEndCause, type CallEvent } from '../../common/call-messages.ts';
import type { SessionDescription } from '../../common/signaling-protocol.ts';
import { openCamera, openLocalMedia, MediaAccessError } from './local-media.ts';
import { PeerSession } from './peer-session.ts';
import { preferMatchingTelephoneEvent } from './dtmf/telephone-event-sdp.ts';
import { describeEnd, type CallEndReason } from './call-end-reason.ts';
import { t } from '../../common/i18n/index.ts';

export type CallPhase = 'calling' | 'ringing' | 'incoming' | 'connecting' | 'connected' | 'ended';

export interface CallSnapshot {
  readonly id: string;
  /** Which account carries the call: `app` or a SIP account. */
  readonly account: AccountId;
  /** Who the call is with, as shown: an app user name, or a SIP caller's display name or address. */
  readonly peer: string;
  /** Whom we dialed, or the caller's address (for SIP, `user@host`). */
  readonly address: string;
  /** The far end's media plays before the call is accepted (SIP 183): no local ringback then. */
  readonly earlyMedia: boolean;
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

/** How the engine talks to main about its calls. */
export interface CallPort {
  send(command: CallCommand): Promise<unknown>;
}

/** How long a call that cannot trickle waits for its candidates before sending what it has. */
export const GATHERING_CAP_MS = 2_000;

export interface CallEngineOptions {
  /** The configuration for each new call's RTCPeerConnection, read when the call starts. */
  rtcConfiguration?: RTCConfiguration | (() => RTCConfiguration);
  /** How long an outgoing call rings before it counts as unanswered. */
  ringTimeoutMs?: number;
  /** How long a non-trickle offer or answer waits for ICE gathering. */
  gatheringCapMs?: number;
  openMedia?: (video: boolean) => Promise<MediaStream>;
  /** Opens the camera again after "Camera off". */
  openCamera?: () => Promise<MediaStreamTrack>;
  /** Whether the user knows whom they called (a contact, someone seen online): an unknown name that is not online is nobody. */
  isKnownPeer?: (account: AccountId, address: string) => boolean;
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
  /** Candidates go one by one; false: every offer and answer carries them all (SIP). */
  trickle: boolean;
  /** The other side accepted (or we did): until then, early media keeps the call ringing. */
  accepted: boolean;
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
  private readonly gatheringCapMs: number;
  private readonly openMedia: (video: boolean) => Promise<MediaStream>;
  private readonly openCameraTrack: () => Promise<MediaStreamTrack>;
  private readonly isKnownPeer: (account: AccountId, address: string) => boolean;

  constructor(
    private readonly port: CallPort,
    options: CallEngineOptions = {},
  ) {
    super();
    // No STUN/TURN by default: the app must work on a LAN or loopback with no
    // third-party server, and a default public STUN server would leak traffic.
    const rtc = options.rtcConfiguration ?? { iceServers: [] };
    this.rtcConfiguration = typeof rtc === 'function' ? rtc : () => rtc;
    this.ringTimeoutMs = options.ringTimeoutMs ?? 30_000;
    this.gatheringCapMs = options.gatheringCapMs ?? GATHERING_CAP_MS;
    this.openMedia = options.openMedia ?? openLocalMedia;
    this.openCameraTrack = options.openCamera ?? openCamera;
    this.isKnownPeer = options.isKnownPeer ?? (() => true);
  }

  /** The current or last call; null when there has been none since dismiss(). */
  get call(): CallSnapshot | null {
    return this.active?.snapshot ?? null;
  }

  get busy(): boolean {
    return this.active !== null && this.active.snapshot.phase !== 'ended';
  }

  async startCall(
    peer: string,
    { video, postDial = '', account = APP_ACCOUNT, trickle = true }: { video: boolean; postDial?: string; account?: AccountId; trickle?: boolean },
  ): Promise<void> {
    if (this.busy) throw new Error('Finish the current call before starting another.');
    for (const mark of Object.values(CALL_MARKS)) performance.clearMarks(mark);
    performance.mark(CALL_MARKS.started);
    const id = newCallId();
    const active = this.createCall({ id, account, peer, address: peer, direction: 'outgoing', video, remoteOffersVideo: false, phase: 'calling', postDial }, trickle);
    let stream: MediaStream;
    try {
      stream = await this.openMedia(video);
    } catch (error) {
      this.end(active, 'media-error', error instanceof MediaAccessError ? error.message : String(error));
      return;
    }
    if (!this.attachMedia(active, stream)) return;
    try {
      // Telephone systems often take telephone-event/8000 only: with G.711 first, keys survive their choice.
      const offer = await active.session.createOffer({ g711First: account !== APP_ACCOUNT });
      const complete = trickle ? offer : await active.session.gatheredDescription(this.gatheringCapMs);
      if (!this.isLive(active)) return;
      await this.port.send({ kind: 'place', callId: id, account, to: peer, video, offer: complete });
    } catch (error) {
      this.end(active, 'not-connected', t('Could not call {{name}}: {{reason}}', { name: peer, reason: errorText(error) }));
      return;
    }
    active.ringTimer = setTimeout(() => {
      if (this.isCurrent(active) && (active.snapshot.phase === 'calling' || active.snapshot.phase === 'ringing')) {
        this.sendEnd(active, 'no-answer');
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
      const answer = await this.answerWith(active, active.remoteOffer);
      if (!this.isLive(active)) return;
      active.accepted = true;
      await this.port.send({ kind: 'answer', callId: active.snapshot.id, answer });
    } catch (error) {
      this.sendEnd(active, 'failed');
      this.end(active, 'failed', t('Could not answer: {{reason}}', { reason: errorText(error) }));
    }
  }

  decline(): void {
    const active = this.active;
    if (!active || active.snapshot.phase !== 'incoming') return;
    this.sendEnd(active, 'declined');
    this.end(active, 'local-decline');
  }

  hangUp(): void {
    const active = this.active;
    if (!active || active.snapshot.phase === 'ended') return;
    if (active.snapshot.phase === 'incoming') return this.decline();
    const outgoingUnanswered = active.snapshot.phase === 'calling' || active.snapshot.phase === 'ringing';
    this.sendEnd(active, outgoingUnanswered ? 'cancelled' : 'hangup');
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

  /** Something happened in a call, as main reports it. */
  async handleEvent(event: CallEvent): Promise<void> {
    if (event.kind === 'incoming') return this.handleIncoming(event);
    const active = this.active;
    if (!active || active.snapshot.id !== event.callId || !this.isLive(active)) return;
    switch (event.kind) {
      case 'ringing':
        if (active.snapshot.phase === 'calling') this.update(active, { phase: 'ringing' });
        return;
      case 'answer':
        return this.handleAnswer(active, event);
      case 'accepted':
        return this.handleAccepted(active);
      case 'offer':
        return this.handleRenegotiation(active, event.offer);
      case 'candidate':
        await active.session.addRemoteCandidate(event.candidate);
        return;
      case 'keys':
        if (active.snapshot.phase === 'connected') {
          this.dispatchEvent(new CustomEvent('dtmf-received', { detail: { from: active.snapshot.peer, tones: event.tones } }) satisfies DtmfReceivedEvent);
        }
        return;
      case 'end':
        return this.handleRemoteEnd(active, event.cause, event.message);
    }
  }

  private async handleAnswer(active: ActiveCall, event: Extract<CallEvent, { kind: 'answer' }>): Promise<void> {
    if (active.snapshot.direction !== 'outgoing' || active.session.pc.signalingState !== 'have-local-offer') return;
    if (!event.early) this.clearRingTimer(active);
    active.accepted = !event.early;
    this.update(active, { phase: event.early ? active.snapshot.phase : 'connecting', earlyMedia: event.early, remoteFeatures: event.features });
    try {
      // Only the answer's telephone-event that matches our codec: the browser then sends events the peer decodes.
      await active.session.setRemoteDescription({ ...event.answer, sdp: preferMatchingTelephoneEvent(event.answer.sdp) });
    } catch (error) {
      this.sendEnd(active, 'failed');
      this.end(active, 'failed', t('The answer from {{name}} could not be used: {{reason}}', { name: active.snapshot.peer, reason: errorText(error) }));
      return;
    }
    if (active.accepted) this.enterConnectedIfReady(active);
  }

  /** An early-media call was accepted: it stops ringing, and is connected once its media is. */
  private handleAccepted(active: ActiveCall): void {
    if (active.snapshot.direction !== 'outgoing' || active.accepted) return;
    active.accepted = true;
    this.clearRingTimer(active);
    this.update(active, { phase: 'connecting', earlyMedia: false });
    this.enterConnectedIfReady(active);
  }

  /** The same peer changing the media of this call (the tutorial client does on track changes). */
  private async handleRenegotiation(active: ActiveCall, offer: SessionDescription): Promise<void> {
    try {
      const answer = await this.answerWith(active, offer);
      await this.port.send({ kind: 'answer', callId: active.snapshot.id, answer });
    } catch (error) {
      console.warn(`Could not answer a renegotiation from ${active.snapshot.peer}`, error);
    }
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

  private async handleIncoming(event: Extract<CallEvent, { kind: 'incoming' }>): Promise<void> {
    const active = this.active && this.active.snapshot.phase !== 'ended' ? this.active : null;
    if (active) {
      // A second call, never answered: the caller hears busy, the user sees it was missed.
      await this.port.send({ kind: 'end', callId: event.callId, cause: 'busy' }).catch(() => {});
      this.dispatchEvent(new CustomEvent('missed-while-busy', { detail: { from: event.displayName ?? event.from, peer: active.snapshot.peer } }) satisfies MissedWhileBusyEvent);
      return;
    }
    const call = this.createCall(
      {
        id: event.callId,
        account: event.account,
        peer: event.displayName ?? event.from,
        address: event.from,
        direction: 'incoming',
        video: event.video,
        remoteOffersVideo: event.video,
        phase: 'incoming',
        postDial: '',
      },
      event.trickle,
    );
    call.snapshot = { ...call.snapshot, remoteFeatures: event.features };
    call.remoteOffer = event.offer;
    await this.port.send({ kind: 'ringing', callId: event.callId }).catch(() => {});
  }

  private handleRemoteEnd(active: ActiveCall, cause: CallEndCause, message: string | undefined): void {
    const { phase } = active.snapshot;
    if (phase === 'ended') return;
    if (phase === 'incoming') return this.end(active, 'missed');
    if (phase === 'calling' || phase === 'ringing') {
      if (cause === 'busy' || cause === 'declined' || cause === 'no-answer' || cause === 'offline') return this.end(active, cause, message);
    }
    this.end(active, cause === 'failed' ? 'failed' : 'remote-hangup', message);
  }

  /** Our answer to an offer; with every candidate in it when the call cannot trickle. */
  private async answerWith(active: ActiveCall, offer: SessionDescription): Promise<SessionDescription> {
    const answer = await active.session.answer(offer);
    return active.trickle ? answer : active.session.gatheredDescription(this.gatheringCapMs);
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
    this.sendEnd(active, 'failed');
    this.end(active, 'media-error', error instanceof MediaAccessError ? error.message : errorText(error));
  }

  private createCall(init: Pick<CallSnapshot, 'id' | 'account' | 'peer' | 'address' | 'direction' | 'video' | 'remoteOffersVideo' | 'phase' | 'postDial'>, trickle: boolean): ActiveCall {
    this.active?.session.close();
    const snapshot: CallSnapshot = {
      ...init,
      connectedAt: null,
      endReason: null,
      endMessage: null,
      earlyMedia: false,
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
      trickle,
      accepted: false,
      session: new PeerSession(this.rtcConfiguration(), {
        onLocalCandidate: (candidate) => {
          // Without trickle, the candidates travel inside the offer or answer.
          if (!active.trickle || !this.isLive(active)) return;
          this.port
            .send({ kind: 'candidate', callId: active.snapshot.id, candidate })
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
    if (!this.isLive(active)) return;
    if (state === 'connected') this.enterConnectedIfReady(active);
    else if (state === 'failed') {
      this.sendEnd(active, 'failed');
      this.end(active, 'failed', t('The connection to {{name}} failed.', { name: active.snapshot.peer }));
    }
  }

  /** Connected means accepted and media flowing: early media alone keeps the call ringing. */
  private enterConnectedIfReady(active: ActiveCall): void {
    if (!this.isLive(active) || !active.accepted || active.snapshot.phase === 'connected') return;
    if (active.session.pc.connectionState !== 'connected') return;
    performance.mark(CALL_MARKS.connected);
    this.clearRingTimer(active);
    this.update(active, { phase: 'connected', connectedAt: Date.now() });
  }

  private sendEnd(active: ActiveCall, cause: CallEndCause): void {
    this.port.send({ kind: 'end', callId: active.snapshot.id, cause }).catch((error) => console.warn('Could not send the end of the call', error));
  }

  private end(active: ActiveCall, reason: CallEndReason, detail?: string): void {
    if (!this.isCurrent(active) || active.snapshot.phase === 'ended') return;
    this.clearRingTimer(active);
    active.session.close();
    this.update(active, {
      phase: 'ended',
      endReason: reason,
      endMessage: detail ?? describeEnd(reason, active.snapshot.peer, this.isKnownPeer(active.snapshot.account, active.snapshot.address)),
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

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
