/**
 * A real WebRTC caller in Node for the IVR tests: a werift peer connection
 * signed in through the real signaling client. It sends PCMU audio (silence
 * or generated DTMF tones) paced at 20 ms, RFC 4733 events, and `dtmf`
 * messages, and measures the level of the audio it receives.
 */
import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket, type RTCRtpTransceiver } from 'werift';
import type { Logger } from '../../common/logger.ts';
import { SignalingClient, type InboundRoutedMessage, type SignalingClientOptions } from '../../common/signaling-client.ts';
import { DTMF_EVENT_CODES } from '../../ivr/rfc4733-decoder.ts';
import { decodeMulaw, encodeMulaw } from '../../ivr/g711.ts';
import { dtmfTone } from '../../ivr/goertzel-detector.ts';
import { OpusCodec } from '../../ivr/opus.ts';

export interface CallerOptions {
  serverUrl: string;
  name: string;
  codec: 'pcmu' | 'opus';
  telephoneEventRates: number[];
  /** Also offer a video section, as a video call would. */
  video?: boolean;
  /** Sign in with the local key, as the embedded server requires (passed through to SignalingClient). */
  auth?: { localKey: Buffer; service?: boolean };
  log: Logger;
}

/** SignalingClient's options with the local-key `auth` it is gaining; a widening until it has it. */

const FRAME = 160;

export class WeriftCaller {
  readonly client: SignalingClient;
  readonly pc: RTCPeerConnection;
  private transceiver: RTCRtpTransceiver | null = null;
  private target = '';
  private readonly callId = `call-${Math.random().toString(36).slice(2)}`;
  private queue: Int16Array[] = [];
  private pacer: NodeJS.Timeout | null = null;
  private sequenceNumber = 1000;
  private timestamp = 5000;
  private eventSequence = 20000;
  private readonly decodeOpus = new OpusCodec(8000);
  /** RMS (full scale 32768) of every audio packet received, in order. */
  readonly receivedLevels: number[] = [];
  readonly signals: InboundRoutedMessage[] = [];

  private constructor(private readonly options: CallerOptions) {
    const clientOptions: SignalingClientOptions = { url: options.serverUrl, name: options.name, log: options.log, ...(options.auth ? { auth: options.auth } : {}) };
    this.client = new SignalingClient(clientOptions);
    const audio =
      options.codec === 'pcmu'
        ? new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 })
        : new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 });
    const events = options.telephoneEventRates.map(
      (clockRate, i) => new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate, payloadType: 126 - i * 16 }),
    );
    this.pc = new RTCPeerConnection({
      iceServers: [],
      iceAdditionalHostAddresses: ['127.0.0.1'],
      codecs: { audio: [audio, ...events], video: [new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, payloadType: 96 })] },
    });
  }

  static async signIn(options: CallerOptions): Promise<WeriftCaller> {
    const caller = new WeriftCaller(options);
    await new Promise<void>((resolve) => {
      caller.client.on('state', (state) => state.signedInAs && resolve());
      caller.client.start();
    });
    caller.client.on('signal', (message) => void caller.onSignal(message));
    return caller;
  }

  async call(target: string): Promise<void> {
    await this.sendOffer(target, (sdp) => sdp);
  }

  /** Like call(), but lets a test change the offer's SDP before it is sent. */
  async sendOffer(target: string, edit: (sdp: string) => string): Promise<void> {
    this.target = target;
    this.transceiver = this.pc.addTransceiver('audio', { direction: 'sendrecv' });
    if (this.options.video) this.pc.addTransceiver('video', { direction: 'sendrecv' });
    this.transceiver.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((packet) => {
        if (packet.header.payloadType !== this.audioPayloadType) return;
        const samples = this.options.codec === 'pcmu' ? decodeMulaw(packet.payload) : this.opusToPcm(packet.payload);
        this.receivedLevels.push(Math.sqrt(samples.reduce((sum, s) => sum + s * s, 0) / Math.max(1, samples.length)));
      });
    });
    this.pc.onIceCandidate.subscribe((candidate) => {
      if (candidate) this.client.send({ type: 'new-ice-candidate', target, callId: this.callId, candidate: candidate.toJSON() });
    });
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    this.client.send({ type: 'video-offer', target, callId: this.callId, sdp: { type: 'offer', sdp: edit(this.pc.localDescription!.sdp) }, video: this.options.video ?? false });
  }

  get connectionState(): string {
    return this.pc.connectionState;
  }

  get audioPayloadType(): number {
    return this.options.codec === 'pcmu' ? 0 : 111;
  }

  /** Telephone-event payload types the IVR accepted in its answer, by clock rate. */
  acceptedTelephoneEvents(): Map<number, number> {
    const codecs = this.transceiver?.codecs ?? [];
    return new Map(codecs.filter((c) => c.name.toLowerCase() === 'telephone-event').map((c) => [c.clockRate, c.payloadType]));
  }

  /** Starts the 20 ms PCMU stream (silence unless tones are queued). */
  startAudio(): void {
    if (this.options.codec !== 'pcmu') throw new Error('The test caller only sends PCMU audio');
    const started = performance.now();
    let frames = 0;
    const tick = () => {
      const frame = this.queue.shift() ?? new Int16Array(FRAME);
      void this.transceiver!.sender.sendRtp(new RtpPacket(new RtpHeader({ payloadType: 0, sequenceNumber: this.sequenceNumber++ & 0xffff, timestamp: this.timestamp }), encodeMulaw(frame)));
      this.timestamp += FRAME;
      frames++;
      this.pacer = setTimeout(tick, Math.max(0, started + frames * 20 - performance.now()));
    };
    tick();
  }

  /** Queues in-band DTMF tones on the PCMU stream. */
  sendInbandTones(digits: string, toneMs = 80, gapMs = 80): void {
    const parts: number[] = [];
    for (const digit of digits) {
      parts.push(...dtmfTone(digit, { sampleRate: 8000, durationMs: toneMs, amplitude: 6000 }), ...new Array((8 * gapMs) | 0).fill(0));
    }
    for (let i = 0; i < parts.length; i += FRAME) {
      const frame = new Int16Array(FRAME);
      frame.set(parts.slice(i, i + FRAME).map(Math.round));
      this.queue.push(frame);
    }
  }

  /** One RFC 4733 event as a browser sends it: start, updates every 20 ms, the end three times. */
  async sendTelephoneEvent(digit: string, clockRate: number, durationMs = 100): Promise<void> {
    const payloadType = this.acceptedTelephoneEvents().get(clockRate);
    if (payloadType === undefined) throw new Error(`The IVR did not accept telephone-event/${clockRate}`);
    const sender = this.transceiver!.sender;
    // Each event starts at a new timestamp, as the audio clock moves on between key presses.
    this.timestamp = (this.timestamp + 8000) >>> 0;
    const timestamp = this.timestamp;
    const step = clockRate / 50;
    const total = Math.round((durationMs / 1000) * clockRate);
    const send = async (duration: number, end: boolean, marker: boolean) => {
      const payload = Buffer.from([DTMF_EVENT_CODES.indexOf(digit), (end ? 0x80 : 0) | 10, duration >> 8, duration & 0xff]);
      const header = new RtpHeader({ payloadType, sequenceNumber: this.eventSequence++ & 0xffff, timestamp, marker, ssrc: sender.ssrc });
      await sender.dtlsTransport.sendRtp(payload, header);
    };
    for (let duration = step, first = true; duration < total; duration += step, first = false) {
      await send(duration, false, first);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (let i = 0; i < 3; i++) await send(total, true, false);
  }

  sendSignalingDtmf(tones: string): void {
    this.client.send({ type: 'dtmf', target: this.target, callId: this.callId, tones });
  }

  /** Sends raw bytes as if they were RTP on the audio PT, to prove malformed media cannot hurt the IVR. */
  async sendGarbage(): Promise<void> {
    const sender = this.transceiver!.sender;
    for (const payloadType of [...this.acceptedTelephoneEvents().values(), this.audioPayloadType]) {
      for (const payload of [Buffer.alloc(0), Buffer.from([0xff]), Buffer.from([200, 1, 2, 3, 4, 5])]) {
        await sender.dtlsTransport.sendRtp(payload, new RtpHeader({ payloadType, sequenceNumber: this.eventSequence++ & 0xffff, timestamp: 77, ssrc: sender.ssrc }));
      }
    }
  }

  async hangUp(): Promise<void> {
    this.client.send({ type: 'hang-up', target: this.target, callId: this.callId });
    await this.close();
  }

  async close(): Promise<void> {
    if (this.pacer) clearTimeout(this.pacer);
    this.pacer = null;
    await this.pc.close().catch(() => {});
    await this.client.stop();
    this.decodeOpus.delete();
  }

  private opusToPcm(payload: Buffer): Int16Array {
    return this.decodeOpus.decode(payload);
  }

  private async onSignal(message: InboundRoutedMessage): Promise<void> {
    this.signals.push(message);
    // Answers and candidates for offers a test sent by hand (other call ids) are only recorded.
    if (message.callId !== undefined && message.callId !== this.callId) return;
    if (message.type === 'video-answer') await this.pc.setRemoteDescription(message.sdp);
    if (message.type === 'new-ice-candidate') {
      await this.pc.addIceCandidate({ candidate: message.candidate.candidate, sdpMid: message.candidate.sdpMid ?? undefined, sdpMLineIndex: message.candidate.sdpMLineIndex ?? undefined });
    }
  }
}

/** A real werift offer's SDP (audio, plus video if asked), from a peer that is closed at once: for offers nobody will connect to. */
export async function weriftOfferSdp(options: { video?: boolean } = {}): Promise<string> {
  const pc = new RTCPeerConnection({ iceServers: [], iceAdditionalHostAddresses: ['127.0.0.1'] });
  try {
    pc.addTransceiver('audio', { direction: 'sendrecv' });
    if (options.video) pc.addTransceiver('video', { direction: 'sendrecv' });
    return (await pc.createOffer()).sdp;
  } finally {
    await pc.close().catch(() => {});
  }
}

/** Adds a third media section (another audio one, mid "extra", BUNDLEd with the rest) to an offer. */
export function withExtraAudioSection(sdp: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(/\r?\n/).filter((line, i, all) => line !== '' || i < all.length - 1);
  const firstAudio = lines.findIndex((line) => line.startsWith('m=audio'));
  const next = lines.findIndex((line, i) => i > firstAudio && line.startsWith('m='));
  const audio = lines.slice(firstAudio, next === -1 ? undefined : next).map((line) => (line.startsWith('a=mid:') ? 'a=mid:extra' : line));
  const bundled = lines.map((line) => (line.startsWith('a=group:BUNDLE') ? `${line} extra` : line));
  return [...bundled, ...audio, ''].join(eol);
}

/** Removes the BUNDLE group, so each section would need its own transport. */
export function withoutBundle(sdp: string): string {
  return sdp
    .split(/(?<=\n)/)
    .filter((line) => !line.startsWith('a=group:BUNDLE'))
    .join('');
}
