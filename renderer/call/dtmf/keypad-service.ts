/**
 * The keypad of the live call: turns presses (and a dial string's tail) into
 * queued key tones on the right route, and tells the UI what is sounding,
 * what is waiting and how keys travel on this call.
 */
import type { SoftphoneApi } from '../../../common/ipc-contract.ts';
import type { DtmfSettings } from '../../../common/settings-schema.ts';
import type { CallEngine, DtmfReceivedEvent } from '../call-engine.ts';
import { chooseDtmfRoute, negotiatedAudio, type RouteDecision } from './dtmf-route.ts';
import { DTMF_SENT_MARK, DtmfSender } from './dtmf-sender.ts';
import { InbandToneMixer } from './inband-tone-mixer.ts';
import { playKeyFeedback } from './key-feedback.ts';
import { t } from '../../../common/i18n/index.ts';

/** Performance mark per key press, with `{ tones, at }` (epoch ms) as detail; read by the DTMF benchmark. */
export const DTMF_PRESS_MARK = 'softphone:dtmf-press';

export interface KeypadServiceOptions {
  engine: CallEngine;
  api: Pick<SoftphoneApi, 'call'>;
  settings(): DtmfSettings;
  /** Where key feedback plays: the ringer output, shared with the ringtone. */
  feedbackOutput: () => AudioContext;
}

interface CallKeypad {
  callId: string;
  sender: DtmfSender;
  mixer: Promise<InbandToneMixer> | null;
  /** Re-reads the route: the browser gives no event when canInsertDTMF turns true. */
  routeWatch: ReturnType<typeof setInterval>;
}

/** How often the route is re-read; cheap (sender parameters), and a stale "not possible" would mislead. */
const ROUTE_RECHECK_MS = 250;
/**
 * Chromium turns canInsertDTMF on a moment after the call connects. A key
 * pressed (or a dial string's tail sent) in that moment waits for it rather
 * than taking a fallback route for good reason gone a few ms later.
 */
const RFC4733_READY_WAIT_MS = 1000;

export class KeypadService extends EventTarget {
  /** The keys the other side sent us over signaling in this call. */
  received = '';
  private current: CallKeypad | null = null;

  constructor(private readonly options: KeypadServiceOptions) {
    super();
    options.engine.addEventListener('change', () => this.followCall());
    options.engine.addEventListener('dtmf-received', (event) => {
      this.received += (event as DtmfReceivedEvent).detail.tones;
      this.changed();
    });
  }

  /** Whether keys can be pressed now: only in a connected call. */
  get active(): boolean {
    return this.current !== null;
  }

  get sounding(): string {
    return this.current?.sender.sounding ?? '';
  }

  get sent(): string {
    return this.current?.sender.sent ?? '';
  }

  get queued(): string {
    return this.current?.sender.queued ?? '';
  }

  get problem(): string | null {
    return this.current?.sender.problem ?? null;
  }

  /** How keys travel on this call, and why; null outside a call. */
  decide(): RouteDecision | null {
    const call = this.options.engine.call;
    if (!this.current || !call) return null;
    const sender = this.options.engine.audioSender();
    const dtmf = sender?.dtmf ?? null;
    return chooseDtmfRoute({
      setting: this.options.settings().transport,
      canInsertDtmf: dtmf?.canInsertDTMF ?? false,
      negotiated: negotiatedAudio(sender?.getParameters().codecs ?? []),
      peerTakesSignaling: call.remoteFeatures.includes('dtmf-signaling'),
    });
  }

  /** Keys the user pressed, typed or pasted; `,` pauses. Ignored outside a connected call. */
  press(tones: string): void {
    if (!this.current || !tones) return;
    performance.mark(DTMF_PRESS_MARK, { detail: { tones, at: performance.timeOrigin + performance.now() } });
    this.current.sender.enqueue(tones);
  }

  private followCall(): void {
    const call = this.options.engine.call;
    const live = call?.phase === 'connected' ? call : null;
    if (this.current && this.current.callId !== live?.id) this.endCallKeypad();
    if (live && !this.current) {
      // Marks are for the benchmark; keep only the current call's.
      performance.clearMarks(DTMF_PRESS_MARK);
      performance.clearMarks(DTMF_SENT_MARK);
      this.current = this.startCallKeypad(live.id);
      this.received = '';
      // The dial string's tail waits for the answer, which is now.
      if (live.postDial) this.current.sender.enqueue(live.postDial);
      this.changed();
    }
  }

  private startCallKeypad(callId: string): CallKeypad {
    const { engine, api } = this.options;
    let summary = '';
    const connectedAt = performance.now();
    const keypad: CallKeypad = {
      callId,
      mixer: null,
      routeWatch: setInterval(() => {
        const now = this.decide()?.summary ?? '';
        if (now !== summary) {
          summary = now;
          this.changed();
        }
      }, ROUTE_RECHECK_MS),
      sender: new DtmfSender({
        settings: this.options.settings,
        settled: async () => {
          while (!engine.audioSender()?.dtmf?.canInsertDTMF && performance.now() - connectedAt < RFC4733_READY_WAIT_MS) {
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        },
        decide: () => this.decide() ?? { route: null, rfc4733Problem: null, summary: t('The call has ended.') },
        rtcDtmf: () => engine.audioSender()?.dtmf ?? null,
        sendSignal: async (tones, durationMs) => {
          const call = engine.call;
          if (!call) return;
          await api.call({ kind: 'keys', callId: call.id, tones, durationMs });
        },
        inband: async () => {
          const sender = engine.audioSender();
          if (!sender) throw new Error('the call has no audio sender');
          const mixer = await keypad.mixer?.catch(() => null);
          if (mixer && sender.track === mixer.track) return mixer;
          // First in-band key, or a device switch put a plain microphone on the sender: mix again.
          mixer?.close();
          keypad.mixer = InbandToneMixer.attach(sender);
          return keypad.mixer;
        },
        feedback: (key, durationMs) => playKeyFeedback(this.options.feedbackOutput(), key, durationMs),
      }),
    };
    keypad.sender.addEventListener('change', () => this.changed());
    return keypad;
  }

  private endCallKeypad(): void {
    const keypad = this.current!;
    this.current = null;
    clearInterval(keypad.routeWatch);
    keypad.sender.close();
    void keypad.mixer?.then((mixer) => mixer.close()).catch(() => {});
    this.changed();
  }

  close(): void {
    if (this.current) this.endCallKeypad();
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
