/**
 * The IVR's outgoing audio: one RTP packet every 20 ms, paced against the
 * wall clock (not by chained timers, which drift), carrying prompt audio,
 * silence between prompts, or in echo mode the caller's own packets.
 */
import { RtpHeader, RtpPacket } from 'werift';
import { encodeMulaw } from './g711.ts';
import { OpusCodec } from './opus.ts';
import { PROMPT_RATE } from './prompts.ts';

export const FRAME_MS = 20;
const FRAME_SAMPLES = (PROMPT_RATE * FRAME_MS) / 1000;
/** If the event loop stalled this long, skip ahead instead of bursting the backlog. */
const MAX_CATCH_UP_MS = 200;

export interface AudioCodec {
  name: 'pcmu' | 'opus';
  payloadType: number;
  clockRate: number;
}

export class RtpAudioSender {
  private readonly encode: (frame: Int16Array) => Buffer;
  private readonly release: () => void;
  private readonly timestampStep: number;
  private sequenceNumber = Math.floor(Math.random() * 0x10000);
  private timestamp = Math.floor(Math.random() * 0x1_0000_0000);
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private framesSent = 0;
  private marker = true;
  private playing: { samples: Int16Array; offset: number; done: (finished: boolean) => void } | null = null;
  private echoing = false;
  private echoOffset: number | null = null;
  private closed = false;

  constructor(
    readonly codec: AudioCodec,
    private readonly send: (packet: RtpPacket) => void,
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    this.timestampStep = (codec.clockRate * FRAME_MS) / 1000;
    if (codec.name === 'opus') {
      // Encoding at 8 kHz is valid Opus (narrowband); the RTP clock stays 48 kHz whatever the coded bandwidth.
      const encoder = new OpusCodec(PROMPT_RATE);
      this.encode = (frame) => encoder.encode(frame);
      this.release = () => encoder.delete();
    } else {
      this.encode = (frame) => encodeMulaw(frame);
      this.release = () => {};
    }
  }

  start(): void {
    if (this.timer || this.closed) return;
    this.startedAt = performance.now();
    this.framesSent = 0;
    this.schedule();
  }

  /** Plays 8 kHz samples; resolves true when played out, false when interrupted. */
  play(samples: Int16Array): Promise<boolean> {
    this.interrupt();
    return new Promise((done) => {
      this.playing = { samples, offset: 0, done };
    });
  }

  interrupt(): void {
    const current = this.playing;
    this.playing = null;
    current?.done(false);
  }

  /** In echo mode the pacer stays quiet and `forward` sends the caller's own packets back. */
  setEcho(on: boolean): void {
    if (on === this.echoing) return;
    this.echoing = on;
    this.echoOffset = null;
    this.marker = true;
  }

  forward(payload: Buffer, timestamp: number): void {
    if (!this.echoing) return;
    // Keep our timestamps continuous across the switch, then follow the caller's spacing.
    this.echoOffset ??= (this.timestamp - timestamp) >>> 0;
    this.emit(payload, (timestamp + this.echoOffset) >>> 0);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.interrupt();
    this.release();
  }

  private schedule(): void {
    const due = this.startedAt + this.framesSent * FRAME_MS;
    this.timer = setTimeout(() => this.tick(), Math.max(0, due - performance.now()));
  }

  private tick(): void {
    if (this.closed) return;
    const now = performance.now();
    const behindMs = now - (this.startedAt + this.framesSent * FRAME_MS);
    if (behindMs > MAX_CATCH_UP_MS) {
      this.framesSent += Math.floor(behindMs / FRAME_MS);
      this.timestamp = (this.timestamp + Math.floor(behindMs / FRAME_MS) * this.timestampStep) >>> 0;
    }
    try {
      if (!this.echoing) this.emit(this.encode(this.nextFrame()), this.timestamp);
    } catch (error) {
      // Losing one frame is better than losing the pacer (and the call's audio) for good.
      this.onError(error);
    }
    this.framesSent++;
    this.schedule();
  }

  private nextFrame(): Int16Array {
    const frame = new Int16Array(FRAME_SAMPLES);
    const current = this.playing;
    if (!current) return frame;
    frame.set(current.samples.subarray(current.offset, current.offset + FRAME_SAMPLES));
    current.offset += FRAME_SAMPLES;
    if (current.offset >= current.samples.length) {
      this.playing = null;
      current.done(true);
    }
    return frame;
  }

  private emit(payload: Buffer, timestamp: number): void {
    const header = new RtpHeader({
      payloadType: this.codec.payloadType,
      sequenceNumber: this.sequenceNumber,
      timestamp,
      marker: this.marker,
    });
    this.marker = false;
    this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    this.timestamp = (timestamp + this.timestampStep) >>> 0;
    this.send(new RtpPacket(header, payload));
  }
}
