/**
 * One RTCPeerConnection and the media it carries, with the bookkeeping every
 * call needs: ICE candidates that arrive before the remote description are
 * queued, and closing stops every track so no camera light stays on.
 */
import type { IceCandidate, SessionDescription } from '../../common/signaling-protocol.ts';

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

  async createOffer(): Promise<SessionDescription> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    return this.localDescription();
  }

  /** Apply a remote offer and produce our answer. */
  async answer(offer: SessionDescription): Promise<SessionDescription> {
    await this.setRemoteDescription(offer);
    await this.pc.setLocalDescription(await this.pc.createAnswer());
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

  /** Swap what a sender transmits without renegotiating (camera off/on, device switch). */
  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    const sender = this.sender(kind);
    if (!sender) throw new Error(`This call has no ${kind} sender`);
    const previous = sender.track;
    await sender.replaceTrack(track);
    if (this.localStream) {
      if (previous) this.localStream.removeTrack(previous);
      if (track) this.localStream.addTrack(track);
    }
    if (previous && previous !== track) previous.stop();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const sender of this.pc.getSenders()) sender.track?.stop();
    this.localStream?.getTracks().forEach((t) => t.stop());
    this.remoteStream.getTracks().forEach((t) => t.stop());
    this.pc.close();
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
