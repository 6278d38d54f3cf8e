/**
 * One answered call: a werift peer that receives the caller's audio and DTMF
 * (RFC 4733 on every negotiated telephone-event type, in-band tones in the
 * audio) and plays the menu's prompts back, plus the digits that arrive over
 * signaling. All three paths feed one menu.
 */
import { EventEmitter } from 'node:events';
import {
  RTCPeerConnection,
  RTCRtpCodecParameters,
  type MediaStreamTrack,
  type RTCRtpTransceiver,
  type RtpPacket,
} from 'werift';
import type { Logger } from '../common/logger.ts';
import type { IceCandidate, RoutedMessage, SessionDescription } from '../common/signaling-protocol.ts';
import { decodeMulaw } from './g711.ts';
import { GoertzelDetector } from './goertzel-detector.ts';
import { OpusCodec } from './opus.ts';
import { MenuMachine, type MenuDefinition, type MenuOutput } from './menu.ts';
import { PROMPT_RATE, type PromptSet } from './prompts.ts';
import { RtpAudioSender } from './rtp-audio-sender.ts';
import { Rfc4733Decoder } from './rfc4733-decoder.ts';
import { shapeAudioOffer } from './sdp-offer-filter.ts';
import type { AudioOptions, DigitEvent, DigitVia, IvrEvents, IvrTimings, NegotiatedAudio } from './types.ts';

/** A tone the caller sent both as RFC 4733 and in-band is one key press, not two. */
const INBAND_AFTER_RFC4733_IGNORE_MS = 500;

export interface IvrCallOptions {
  caller: string;
  callId?: string;
  menu: MenuDefinition;
  prompts: PromptSet;
  audio: AudioOptions;
  timings: Required<IvrTimings>;
  log: Logger;
  /** Sends a call signal to the caller (ICE candidates, hang-up). */
  signal: (message: RoutedMessage) => void;
}

export function nowEpochMs(): number {
  return performance.timeOrigin + performance.now();
}

function codecConfig(audio: AudioOptions): RTCRtpCodecParameters[] {
  const main =
    audio.codec === 'pcmu'
      ? new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 })
      : new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 });
  const events = audio.telephoneEventRates.map((clockRate) => new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate }));
  return [main, ...events];
}

/** Video codecs only so werift can negotiate an offered video section; the IVR answers it inactive. */
const VIDEO_CODECS = [
  new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000 }),
  new RTCRtpCodecParameters({ mimeType: 'video/H264', clockRate: 90000 }),
  new RTCRtpCodecParameters({ mimeType: 'video/VP9', clockRate: 90000 }),
  new RTCRtpCodecParameters({ mimeType: 'video/AV1', clockRate: 90000 }),
];

export class IvrCall extends EventEmitter<IvrEvents> {
  readonly caller: string;
  readonly callId: string | undefined;
  private readonly pc: RTCPeerConnection;
  private readonly options: IvrCallOptions;
  private readonly log: Logger;
  private readonly menu: MenuMachine;
  private readonly detector = new GoertzelDetector({ sampleRate: PROMPT_RATE });
  private negotiated: NegotiatedAudio | null = null;
  private rfc4733: Rfc4733Decoder | null = null;
  private sender: RtpAudioSender | null = null;
  private audioTransceiver: RTCRtpTransceiver | null = null;
  private decodeAudio: ((payload: Buffer) => Int16Array) | null = null;
  private releaseDecoder: () => void = () => {};
  private connected = false;
  private readonly earlyDigits: string[] = [];
  private closed = false;
  private playGeneration = 0;
  private inputTimer: NodeJS.Timeout | null = null;
  private connectTimer: NodeJS.Timeout | null = null;
  private lastRfc4733: { digit: string; at: number } | null = null;
  private badAudioPackets = 0;
  /**
   * werift gathers while setting the answer, before the answer is on its way;
   * a caller cannot use candidates that arrive before the answer, so they wait.
   */
  private heldCandidates: RoutedMessage[] | null = [];

  constructor(options: IvrCallOptions) {
    super();
    this.options = options;
    this.caller = options.caller;
    this.callId = options.callId;
    this.log = options.log.child({ caller: options.caller, callId: options.callId });
    this.menu = new MenuMachine(options.menu);
    this.pc = new RTCPeerConnection({
      // werift's default is a public STUN server; the IVR talks to local peers only.
      iceServers: [],
      iceAdditionalHostAddresses: ['127.0.0.1'],
      codecs: { audio: codecConfig(options.audio), video: VIDEO_CODECS },
    });
    this.pc.onIceCandidate.subscribe((candidate) => {
      if (!candidate || this.closed) return;
      const message: RoutedMessage = { type: 'new-ice-candidate', target: this.caller, callId: this.callId, candidate: candidate.toJSON() };
      if (this.heldCandidates) this.heldCandidates.push(message);
      else this.trySignal(message);
    });
    this.pc.connectionStateChange.subscribe((state) => this.onConnectionState(state));
    this.pc.onTrack.subscribe((track) => {
      if (track.kind === 'audio') this.receiveFrom(track);
    });
  }

  get path(): string[] {
    return this.menu.path;
  }

  /** Answers an offer: audio as configured, any video section inactive. */
  async answer(offer: SessionDescription): Promise<SessionDescription> {
    const sdp = shapeAudioOffer(offer.sdp, this.options.audio);
    await this.pc.setRemoteDescription({ type: 'offer', sdp });
    const transceivers = this.pc.getTransceivers();
    this.audioTransceiver = transceivers.find((t) => t.kind === 'audio') ?? null;
    if (!this.audioTransceiver) throw new Error('The offer has no audio');
    for (const transceiver of transceivers) transceiver.setDirection(transceiver === this.audioTransceiver ? 'sendrecv' : 'inactive');
    this.negotiated = this.readNegotiated(this.audioTransceiver);
    this.rfc4733 = new Rfc4733Decoder(new Map(this.negotiated.telephoneEvents.map((e) => [e.payloadType, e.clockRate])));
    this.setUpAudio(this.negotiated);
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    this.connectTimer = setTimeout(() => {
      if (!this.connected) void this.hangUp(`no media connection within ${this.options.timings.connectTimeoutMs} ms`, 'failed');
    }, this.options.timings.connectTimeoutMs);
    this.log.info({ negotiated: this.negotiated }, 'answered');
    this.emit('call', { caller: this.caller, callId: this.callId, state: 'answered', negotiated: this.negotiated });
    const local = this.pc.localDescription;
    return { type: 'answer', sdp: local?.sdp ?? answer.sdp };
  }

  /** Call once the answer has been sent: our ICE candidates may follow it now. */
  answerSent(): void {
    const held = this.heldCandidates ?? [];
    this.heldCandidates = null;
    for (const message of held) this.trySignal(message);
  }

  async addRemoteCandidate(candidate: IceCandidate): Promise<void> {
    if (this.closed) return;
    try {
      await this.pc.addIceCandidate({
        candidate: candidate.candidate,
        sdpMid: candidate.sdpMid ?? undefined,
        sdpMLineIndex: candidate.sdpMLineIndex ?? undefined,
        usernameFragment: candidate.usernameFragment ?? undefined,
      });
    } catch (error) {
      this.log.warn({ err: error, candidate: candidate.candidate }, 'ignored an ICE candidate werift could not use');
    }
  }

  /** Digits from a `dtmf` signaling message. */
  receiveSignalingTones(tones: string): void {
    for (const digit of tones) this.digit({ digit, via: 'signaling' });
  }

  /** Ends the call from our side: tells the caller, then closes. */
  async hangUp(reason: string, wire: 'hangup' | 'failed' = 'hangup'): Promise<void> {
    if (this.closed) return;
    this.trySignal({ type: 'hang-up', target: this.caller, callId: this.callId, reason: wire });
    await this.close(reason);
  }

  /** Closes without telling the caller (they hung up, or the IVR is going away and already told them). */
  async close(reason: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.inputTimer) clearTimeout(this.inputTimer);
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.playGeneration++;
    this.sender?.close();
    this.releaseDecoder();
    this.log.info({ reason, path: this.menu.path }, 'call ended');
    this.emit('menu', { caller: this.caller, callId: this.callId, path: this.menu.path, action: 'end' });
    this.emit('call', { caller: this.caller, callId: this.callId, state: 'ended', reason, negotiated: this.negotiated ?? undefined });
    try {
      await this.pc.close();
    } catch (error) {
      this.log.debug({ err: error }, 'error while closing the peer connection');
    }
  }

  private trySignal(message: RoutedMessage): void {
    try {
      this.options.signal(message);
    } catch (error) {
      this.log.warn({ err: error, type: message.type }, 'could not send a call signal');
    }
  }

  private readNegotiated(transceiver: RTCRtpTransceiver): NegotiatedAudio {
    const codecs = transceiver.codecs;
    const wanted = this.options.audio.codec === 'pcmu' ? 'pcmu' : 'opus';
    const main = codecs.find((c) => c.name.toLowerCase() === wanted);
    if (!main) throw new Error(`The caller does not offer ${wanted === 'pcmu' ? 'PCMU' : 'Opus'} audio`);
    if (codecs[0] !== main) throw new Error(`werift would send on ${codecs[0]!.name} instead of ${main.name}`);
    const telephoneEvents = codecs
      .filter((c) => c.name.toLowerCase() === 'telephone-event')
      .map((c) => ({ payloadType: c.payloadType, clockRate: c.clockRate }));
    return { codec: { name: wanted, payloadType: main.payloadType, clockRate: main.clockRate }, telephoneEvents };
  }

  private setUpAudio(negotiated: NegotiatedAudio): void {
    const transceiver = this.audioTransceiver!;
    this.sender = new RtpAudioSender(negotiated.codec, (packet) => {
      transceiver.sender.sendRtp(packet).catch((error: unknown) => this.log.debug({ err: error }, 'RTP send failed'));
    }, (error) => this.log.warn({ err: error }, 'could not encode an audio frame'));
    if (negotiated.codec.name === 'opus') {
      const decoder = new OpusCodec(PROMPT_RATE);
      this.decodeAudio = (payload) => decoder.decode(payload);
      this.releaseDecoder = () => decoder.delete();
    } else {
      this.decodeAudio = decodeMulaw;
    }
  }

  private receiveFrom(track: MediaStreamTrack): void {
    track.onReceiveRtp.subscribe((packet) => {
      try {
        this.onRtp(packet);
      } catch (error) {
        // One bad packet must never take the call (or the IVR) down.
        if (this.badAudioPackets++ % 100 === 0) this.log.warn({ err: error, payloadType: packet.header.payloadType }, 'dropped an RTP packet that could not be handled');
      }
    });
  }

  private onRtp(packet: RtpPacket): void {
    if (this.closed || !this.negotiated) return;
    const { payloadType, timestamp } = packet.header;
    if (this.rfc4733?.handles(payloadType)) {
      const decoded = this.rfc4733.push({ payloadType, timestamp, payload: packet.payload });
      if (!decoded) return;
      if (decoded.kind === 'start') {
        this.lastRfc4733 = { digit: decoded.digit, at: performance.now() };
        this.digit({ digit: decoded.digit, via: 'rfc4733', payloadType, clockRate: decoded.clockRate, durationMs: decoded.durationMs, endOnly: decoded.endOnly });
      } else {
        this.log.debug({ digit: decoded.digit, payloadType, durationMs: decoded.durationMs }, 'telephone-event ended');
      }
      return;
    }
    if (payloadType !== this.negotiated.codec.payloadType) return;
    this.sender?.forward(packet.payload, timestamp);
    const samples = this.decodeAudio!(packet.payload);
    for (const tone of this.detector.push(samples)) {
      const recent = this.lastRfc4733;
      if (recent && recent.digit === tone.digit && performance.now() - recent.at < INBAND_AFTER_RFC4733_IGNORE_MS) continue;
      this.digit({ digit: tone.digit, via: 'inband', payloadType, clockRate: this.negotiated.codec.clockRate });
    }
  }

  private digit(input: { digit: string; via: DigitVia; payloadType?: number; clockRate?: number; durationMs?: number; endOnly?: boolean }): void {
    if (this.closed) return;
    const event: DigitEvent = { caller: this.caller, ...(this.callId === undefined ? {} : { callId: this.callId }), ...input, receivedAt: nowEpochMs() };
    this.log.info({ ...input, receivedAt: event.receivedAt }, 'digit');
    this.emit('digit', event);
    // A caller's first keys can beat our side of the connection (ICE completes
    // at different moments on each side): keep them for the menu, don't drop them.
    if (this.connected) this.apply(this.menu.digit(input.digit));
    else this.earlyDigits.push(input.digit);
  }

  private onConnectionState(state: string): void {
    this.log.debug({ state }, 'peer connection state');
    if (this.closed) return;
    if (state === 'connected' && !this.connected) {
      this.connected = true;
      if (this.connectTimer) clearTimeout(this.connectTimer);
      this.sender?.start();
      this.emit('call', { caller: this.caller, callId: this.callId, state: 'connected', negotiated: this.negotiated ?? undefined });
      this.apply(this.menu.start());
      for (const digit of this.earlyDigits.splice(0)) this.apply(this.menu.digit(digit));
    } else if (state === 'failed' || state === 'closed') {
      void this.hangUp(`media connection ${state}`, 'failed');
    }
  }

  /** Reports the menu's steps and plays what it asks for, interrupting any prompt still playing (barge-in). */
  private apply(output: MenuOutput): void {
    for (const step of output.steps) {
      const event = { caller: this.caller, ...(this.callId === undefined ? {} : { callId: this.callId }), ...step };
      this.log.info(step, 'menu');
      this.emit('menu', event);
    }
    // Echo starts once the echo prompt has been heard, and stops at once when leaving.
    if (!output.echo) this.sender?.setEcho(false);
    if (this.inputTimer) clearTimeout(this.inputTimer);
    this.inputTimer = null;
    if (output.play.length === 0) {
      if (output.awaitsInput) {
        // A digit of an entry: the caller knows what to do, so stop talking and wait for the next.
        this.playGeneration++;
        this.sender?.interrupt();
        this.armInputTimer();
      }
      return;
    }
    const generation = ++this.playGeneration;
    void this.playAll(output.play, generation).then((finished) => {
      if (!finished || generation !== this.playGeneration) return;
      if (output.echo) this.sender?.setEcho(true);
      if (output.awaitsInput) this.armInputTimer();
    });
  }

  private async playAll(ids: string[], generation: number): Promise<boolean> {
    for (const id of ids) {
      if (generation !== this.playGeneration || !this.sender) return false;
      const samples = this.options.prompts.get(id);
      if (!samples) continue;
      if (!(await this.sender.play(samples))) return false;
    }
    return generation === this.playGeneration;
  }

  private armInputTimer(): void {
    if (this.closed) return;
    this.inputTimer = setTimeout(() => {
      this.inputTimer = null;
      if (!this.closed) this.apply(this.menu.timeout());
    }, this.options.timings.entryTimeoutMs);
  }
}
