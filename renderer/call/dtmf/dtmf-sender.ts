/**
 * The key presses of one call, sent one after another with the user's tone
 * length and gap, whichever way the route says. Our own queue (rather than
 * RTCDTMFSender's buffer) lets every route share one cadence, makes the
 * waiting keys visible, and gives `,` the pause length from Settings instead
 * of the browser's fixed two seconds.
 */
import type { DtmfSettings } from '../../../common/settings-schema.ts';
import type { RouteDecision, DtmfRoute } from './dtmf-route.ts';
import type { InbandToneMixer } from './inband-tone-mixer.ts';
import { t } from '../../../common/i18n/index.ts';

/** Performance mark per key as it starts to sound, with `{ key, route }` as detail; read by the DTMF benchmark. */
export const DTMF_SENT_MARK = 'softphone:dtmf-sent';

export interface DtmfSenderPorts {
  settings(): DtmfSettings;
  /** Resolves when the call is ready to choose a route (telephone events can lag the connection by a moment). */
  settled(): Promise<void>;
  decide(): RouteDecision;
  rtcDtmf(): RTCDTMFSender | null;
  sendSignal(tones: string, durationMs: number): Promise<void>;
  inband(): Promise<InbandToneMixer>;
  feedback(key: string, durationMs: number): void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class DtmfSender extends EventTarget {
  /** Keys and pauses waiting their turn. */
  queued = '';
  /** The key whose tone is sounding now, or ''. */
  sounding = '';
  /** Every key sent so far in this call, in order. */
  sent = '';
  /** Why keys could not be sent, until the next key is sent. */
  problem: string | null = null;
  private running = false;
  private closed = false;
  private lightTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly ports: DtmfSenderPorts) {
    super();
  }

  /** Queue keys and `,` pauses; sending starts at once if nothing is playing. */
  enqueue(tones: string): void {
    if (this.closed || !tones) return;
    this.queued += tones;
    this.changed();
    void this.pump();
  }

  close(): void {
    this.closed = true;
    this.queued = '';
    this.light('', 0);
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queued && !this.closed) {
        const next = this.queued[0]!;
        if (next === ',') {
          await sleep(this.ports.settings().pauseMs);
          this.queued = this.queued.slice(1);
          this.changed();
          continue;
        }
        await this.ports.settled();
        const decision = this.ports.decide();
        if (!decision.route) {
          this.problem = decision.summary;
          this.queued = '';
          this.changed();
          break;
        }
        this.queued = this.queued.slice(1);
        this.problem = null;
        await this.sendOne(decision.route, next);
      }
    } catch (error) {
      this.problem = t('A key could not be sent: {{reason}}', { reason: error instanceof Error ? error.message : String(error) });
      this.queued = '';
      this.changed();
    } finally {
      this.running = false;
    }
  }

  private async sendOne(route: DtmfRoute, key: string): Promise<void> {
    const { toneMs, gapMs, feedback } = this.ports.settings();
    const started = () => {
      performance.mark(DTMF_SENT_MARK, { detail: { key, route } });
      this.sent += key;
      this.light(key, toneMs);
      if (feedback) this.ports.feedback(key, toneMs);
    };
    switch (route) {
      case 'rfc4733': {
        const dtmf = this.ports.rtcDtmf();
        if (!dtmf) throw new Error('the call has no DTMF sender');
        // The browser says when the tone really starts and when the tone and its gap are over.
        let onTone: (event: RTCDTMFToneChangeEvent) => void = () => {};
        const finished = new Promise<void>((resolve) => {
          onTone = (event) => {
            if (event.tone === key) started();
            if (event.tone === '') resolve();
          };
          dtmf.addEventListener('tonechange', onTone);
        });
        try {
          dtmf.insertDTMF(key, toneMs, gapMs);
          // Never wait forever on an event a closing connection will not fire.
          await Promise.race([finished, sleep(toneMs + gapMs + 1000)]);
        } finally {
          dtmf.removeEventListener('tonechange', onTone);
        }
        return;
      }
      case 'signaling':
        started();
        await this.ports.sendSignal(key, toneMs);
        await sleep(toneMs + gapMs);
        return;
      case 'inband': {
        const mixer = await this.ports.inband();
        started();
        mixer.play(key, toneMs);
        await sleep(toneMs + gapMs);
        return;
      }
    }
  }

  private light(key: string, forMs: number): void {
    if (this.lightTimer) clearTimeout(this.lightTimer);
    this.sounding = key;
    this.lightTimer = key ? setTimeout(() => this.light('', 0), forMs) : null;
    this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
