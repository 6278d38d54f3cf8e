/** What the IVR reports: the shapes of its events and of its options. */

export type DigitVia = 'rfc4733' | 'signaling' | 'inband';

export interface DigitEvent {
  caller: string;
  callId?: string;
  digit: string;
  via: DigitVia;
  /** RTP payload type the digit came on (RFC 4733: the telephone-event type; in-band: the audio codec's). */
  payloadType?: number;
  clockRate?: number;
  /** RFC 4733: the event duration in the first packet seen; in-band: how long the tone had lasted when detected. */
  durationMs?: number;
  /**
   * RFC 4733: the first packet seen already ended the event (no start or
   * update packets), as Chromium sends on a telephone-event type whose clock
   * does not match its codec's. Decodable here; many receivers drop it.
   */
  endOnly?: boolean;
  /** Epoch milliseconds (performance.timeOrigin + performance.now()), comparable with a browser's clock. */
  receivedAt: number;
}

export type MenuEventAction = 'enter' | 'back' | 'invalid' | 'timeout' | 'entry' | 'end';

export interface MenuEvent {
  caller: string;
  callId?: string;
  /** Node ids from the root, e.g. ['main', 'support', 'internet']. */
  path: string[];
  action: MenuEventAction;
  /** The digits collected, on `entry`. */
  entry?: string;
  /** The digit that caused the step, if one did. */
  digit?: string;
}

export interface NegotiatedAudio {
  codec: { name: 'pcmu' | 'opus'; payloadType: number; clockRate: number };
  telephoneEvents: Array<{ payloadType: number; clockRate: number }>;
}

export interface CallEvent {
  caller: string;
  callId?: string;
  state: 'answered' | 'connected' | 'ended';
  /** On `answered` and after. */
  negotiated?: NegotiatedAudio;
  /** On `ended`: why. */
  reason?: string;
}

export interface AudioOptions {
  codec: 'pcmu' | 'opus';
  telephoneEventRates: Array<8000 | 48000>;
}

export interface IvrTimings {
  /** After a prompt ends (or after the last digit of an entry), how long to wait for a digit before replaying the prompt. */
  entryTimeoutMs?: number;
  /** How long ICE and DTLS may take before the IVR gives up on a call. */
  connectTimeoutMs?: number;
  /** How long startDemoIvr waits for the server to confirm the IVR's name. */
  signInTimeoutMs?: number;
}

export interface IvrEvents {
  digit: [DigitEvent];
  menu: [MenuEvent];
  call: [CallEvent];
}
