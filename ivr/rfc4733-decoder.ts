/**
 * RFC 4733 telephone-event decoding: one digit per event, reported on the
 * first packet we see of it, because key-press-to-menu latency matters more
 * than knowing the final duration up front.
 */

/** Event codes 0–15 in order, as RFC 4733 numbers them. */
export const DTMF_EVENT_CODES = '0123456789*#ABCD';

export interface TelephoneEvent {
  digit: string;
  end: boolean;
  volume: number;
  /** In units of the payload type's clock. */
  duration: number;
}

/** The payload of one telephone-event packet, or null when it is not a DTMF event. */
export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent | null {
  if (payload.length < 4) return null;
  const code = payload[0]!;
  // Codes above 15 are other events (flash, modem tones): not digits.
  if (code >= DTMF_EVENT_CODES.length) return null;
  return {
    digit: DTMF_EVENT_CODES[code]!,
    end: (payload[1]! & 0x80) !== 0,
    volume: payload[1]! & 0x3f,
    duration: (payload[2]! << 8) | payload[3]!,
  };
}

export interface TelephoneEventPacket {
  payloadType: number;
  timestamp: number;
  payload: Uint8Array;
}

export interface DecodedDigit {
  /** `start`: first packet of a new event (report it); `end`: first end packet of an event already reported. */
  kind: 'start' | 'end';
  digit: string;
  payloadType: number;
  clockRate: number;
  durationMs: number;
  /** True when the first packet we saw was already an end packet (the start packets were lost or never sent). */
  endOnly: boolean;
}

/** Enough to outlast the three repeated end packets of any recent event. */
const REMEMBERED_EVENTS = 64;
/** The duration field's ceiling: a longer tone goes on in a new segment with a new timestamp (RFC 4733 §2.5.1.3). */
const MAX_SEGMENT_DURATION = 0xffff;

export class Rfc4733Decoder {
  private readonly clockRates: ReadonlyMap<number, number>;
  /** `${pt}:${timestamp}` of recent events → whether its end was already seen. */
  private readonly seen = new Map<string, boolean>();
  /** Per payload type, the event still sounding: a new segment of it is the same key, not a new one. */
  private readonly sounding = new Map<number, { digit: string; timestamp: number; duration: number }>();

  /** `clockRates`: every negotiated telephone-event payload type and its clock rate. */
  constructor(clockRates: ReadonlyMap<number, number>) {
    this.clockRates = clockRates;
  }

  handles(payloadType: number): boolean {
    return this.clockRates.has(payloadType);
  }

  /** Returns what is new in this packet, or null for repeats, non-DTMF events and garbage. */
  push(packet: TelephoneEventPacket): DecodedDigit | null {
    const clockRate = this.clockRates.get(packet.payloadType);
    if (clockRate === undefined) return null;
    const event = parseTelephoneEvent(packet.payload);
    if (!event) return null;
    const key = `${packet.payloadType}:${packet.timestamp >>> 0}`;
    const durationMs = (event.duration / clockRate) * 1000;
    const known = this.seen.get(key);
    const previous = this.sounding.get(packet.payloadType);
    if (event.end) this.sounding.delete(packet.payloadType);
    else this.sounding.set(packet.payloadType, { digit: event.digit, timestamp: packet.timestamp >>> 0, duration: event.duration });
    if (known === undefined) {
      this.remember(key, event.end);
      const continues =
        previous !== undefined &&
        previous.digit === event.digit &&
        previous.duration === MAX_SEGMENT_DURATION &&
        packet.timestamp >>> 0 === ((previous.timestamp + MAX_SEGMENT_DURATION) >>> 0);
      if (continues) return null;
      return { kind: 'start', digit: event.digit, payloadType: packet.payloadType, clockRate, durationMs, endOnly: event.end };
    }
    if (event.end && !known) {
      this.seen.set(key, true);
      return { kind: 'end', digit: event.digit, payloadType: packet.payloadType, clockRate, durationMs, endOnly: false };
    }
    return null;
  }

  private remember(key: string, ended: boolean): void {
    this.seen.set(key, ended);
    if (this.seen.size > REMEMBERED_EVENTS) {
      const oldest = this.seen.keys().next().value as string;
      this.seen.delete(oldest);
    }
  }
}
