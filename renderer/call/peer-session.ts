/**
 * One RTCPeerConnection and the media it carries, with the bookkeeping every
 * call needs: ICE candidates that arrive before the remote description are
 * queued, and closing stops every track so no camera light stays on.
 */
import type { IceCandidate, SessionDescription } from '../../common/signaling-protocol.ts';
import { answerWithG711ForKeys, audioCodecOrder, telephoneEventRatesToDecline } from './dtmf/telephone-event-sdp.ts';

export interface PeerSessionEvents {
  onLocalCandidate(candidate: IceCandidate): void;
  onRemoteStream(stream: MediaStream): void;
  onConnectionState(state: RTCPeerConnectionState): void;
}

export class PeerSession {
  readonly pc: RTCPeerConnection;
  readonly remoteStream = new MediaStream();
  private localStream: MediaStream | null = null;
  private pendingCandidates: IceCandidate[] = [];
  private closed = false;

  constructor(config: RTCConfiguration, events: PeerSessionEvents) {
    this.pc = new RTCPeerConnection(config);
    this.pc.addEventListener('icecandidate', (e) => {
      if (e.candidate && e.candidate.candidate) events.onLocalCandidate(e.candidate.toJSON() as IceCandidate);
    });
    this.pc.addEventListener('track', (e) => {
      if (!this.remoteStream.getTracks().includes(e.track)) this.remoteStream.addTrack(e.track);
      events.onRemoteStream(this.remoteStream);
    });
    this.pc.addEventListener('connectionstatechange', () => events.onConnectionState(this.pc.connectionState));
  }

  /** Attach the local microphone (and camera) before creating an offer or answer. */
  attachLocalMedia(stream: MediaStream): void {
    this.localStream = stream;
    for (const track of stream.getTracks()) this.pc.addTrack(track, stream);
  }

  get local(): MediaStream | null {
    return this.localStream;
  }

  /**
   * `g711First`: offer PCMU and PCMA before Opus. For SIP calls: telephone
   * systems that take only telephone-event/8000 then pick a codec whose keys
   * they can decode.
   */
  async createOffer({ g711First = false }: { g711First?: boolean } = {}): Promise<SessionDescription> {
    if (g711First) this.orderAudioCodecs({ g711First, declinedRates: [] });
    await this.pc.setLocalDescription(await this.pc.createOffer());
    return this.localDescription();
  }

  /** Apply a remote offer and produce our answer. */
  async answer(offer: SessionDescription): Promise<SessionDescription> {
    await this.setRemoteDescription(offer);
    this.orderAudioCodecs({ g711First: answerWithG711ForKeys(offer.sdp), declinedRates: telephoneEventRatesToDecline(offer.sdp) });
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    return this.localDescription();
  }

  /**
   * The local description once ICE gathering completes, or after `capMs` with
   * the candidates found so far: for a peer that takes no trickled candidates
   * (SIP), and a host whose slowest interface must not hold the call up.
   */
  async gatheredDescription(capMs: number): Promise<SessionDescription> {
    if (this.pc.iceGatheringState !== 'complete') {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.pc.removeEventListener('icegatheringstatechange', check);
          resolve();
        };
        const check = () => {
          if (this.pc.iceGatheringState === 'complete' || this.closed) done();
        };
        const timer = setTimeout(done, capMs);
        this.pc.addEventListener('icegatheringstatechange', check);
      });
    }
    return this.localDescription();
  }

  async setRemoteDescription(description: SessionDescription): Promise<void> {
    await this.pc.setRemoteDescription(description as RTCSessionDescriptionInit);
    const queued = this.pendingCandidates;
    this.pendingCandidates = [];
    for (const candidate of queued) await this.addCandidateNow(candidate);
  }

  /** Candidates may arrive before the description they belong to; keep them until it is set. */
  async addRemoteCandidate(candidate: IceCandidate): Promise<void> {
    if (!this.pc.remoteDescription) {
      this.pendingCandidates.push(candidate);
      return;
    }
    await this.addCandidateNow(candidate);
  }

  get queuedCandidateCount(): number {
    return this.pendingCandidates.length;
  }

  /** The sender carrying our track of this kind, if any. */
  sender(kind: 'audio' | 'video'): RTCRtpSender | undefined {
    return this.pc.getSenders().find((s) => s.track?.kind === kind || this.senderKind(s) === kind);
  }

  /**
   * Swap what a sender transmits without renegotiating (camera off/on, device
   * switch). The sender may carry a track derived from the device's (the
   * in-band key mixer's), so the device track in the local stream is replaced
   * and stopped too, not only what the sender had.
   */
  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    const sender = this.sender(kind);
    if (!sender) throw new Error(`This call has no ${kind} sender`);
    const sent = sender.track;
    const device = this.localStream?.getTracks().find((t) => t.kind === kind) ?? null;
    await sender.replaceTrack(track);
    if (this.localStream) {
      if (device) this.localStream.removeTrack(device);
      if (track) this.localStream.addTrack(track);
    }
    for (const old of new Set([sent, device])) if (old && old !== track) old.stop();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const sender of this.pc.getSenders()) sender.track?.stop();
    this.localStream?.getTracks().forEach((t) => t.stop());
    this.remoteStream.getTracks().forEach((t) => t.stop());
    this.pc.close();
  }

  /**
   * Our audio codec preferences: G.711 first where keys need it, and
   * telephone-event rates left out so the browser sends key events on the
   * one that matches its codec.
   */
  private orderAudioCodecs(options: { g711First: boolean; declinedRates: readonly number[] }): void {
    const capabilities = RTCRtpReceiver.getCapabilities('audio');
    if ((!options.g711First && options.declinedRates.length === 0) || !capabilities) return;
    const codecs = audioCodecOrder(capabilities.codecs, options);
    for (const transceiver of this.pc.getTransceivers()) {
      if (transceiver.receiver.track.kind === 'audio') transceiver.setCodecPreferences(codecs);
    }
  }

  private async addCandidateNow(candidate: IceCandidate): Promise<void> {
    try {
      await this.pc.addIceCandidate(candidate as RTCIceCandidateInit);
    } catch (error) {
      // One bad candidate must not end a call that other candidates can carry.
      console.warn('Ignoring an ICE candidate the browser rejected', error);
    }
  }

  private senderKind(sender: RTCRtpSender): string | undefined {
    return this.pc.getTransceivers().find((t) => t.sender === sender)?.receiver.track.kind;
  }

  private localDescription(): SessionDescription {
    const description = this.pc.localDescription;
    if (!description) throw new Error('No local description after negotiation');
    return { type: description.type, sdp: description.sdp };
  }
}
