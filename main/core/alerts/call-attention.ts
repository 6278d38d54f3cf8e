/**
 * How the desktop gets the user's attention for a ringing call, decided
 * without Electron: whether a system notification shows and what it says,
 * whether the taskbar entry flashes, and the window title. The Electron glue
 * applies what this says whenever it changes.
 *
 * A ringing call gets a notification only when the window is not in front
 * (hidden, minimised or unfocused): in front, the ringing panel is enough.
 * The call being answered, declined, cancelled or answered elsewhere takes
 * it all away again.
 */
import type { CallEvent } from '../../../common/call-messages.ts';
import { english, type Translate } from '../../../common/i18n/index.ts';

export interface Attention {
  /** The notification to show, or null to remove any. */
  notification: { callId: string; title: string; body: string } | null;
  flash: boolean;
  windowTitle: string;
}

export const APP_TITLE = 'Softphone';

interface Ringing {
  callId: string;
  caller: string;
  video: boolean;
}

export class CallAttention {
  private ringing: Ringing | null = null;
  private inFront = true;
  private current: Attention = { notification: null, flash: false, windowTitle: APP_TITLE };

  constructor(
    private readonly apply: (attention: Attention) => void,
    /** The words in the app's current language (asked on every change). */
    private readonly translate: () => Translate = () => english,
  ) {}

  /** The app's language changed: say it all again in the new one. */
  languageChanged(): void {
    this.update();
  }

  get state(): Attention {
    return this.current;
  }

  callEvent(event: CallEvent): void {
    if (event.kind === 'incoming') {
      // A second call while one rings is refused as busy by the renderer: keep the first.
      if (!this.ringing) this.ringing = { callId: event.callId, caller: event.displayName ?? event.from, video: event.video };
    } else if (event.kind === 'end' && event.callId === this.ringing?.callId) {
      this.ringing = null;
    }
    this.update();
  }

  /** The renderer answered or declined the ringing call (from the window or the notification). */
  callHandled(callId: string): void {
    if (this.ringing?.callId === callId) this.ringing = null;
    this.update();
  }

  /** The window came to the front (focused and visible) or left it. */
  windowInFront(inFront: boolean): void {
    this.inFront = inFront;
    this.update();
  }

  private update(): void {
    const ringing = this.ringing;
    const t = this.translate();
    const next: Attention = ringing
      ? {
          notification: this.inFront ? null : { callId: ringing.callId, title: t('Incoming call from {{caller}}', { caller: ringing.caller }), body: ringing.video ? t('Video call') : t('Audio call') },
          flash: !this.inFront,
          windowTitle: `${t('Incoming call from {{caller}}', { caller: ringing.caller })} – ${APP_TITLE}`,
        }
      : { notification: null, flash: false, windowTitle: APP_TITLE };
    if (sameAttention(next, this.current)) return;
    this.current = next;
    this.apply(next);
  }
}

function sameAttention(a: Attention, b: Attention): boolean {
  return (
    a.flash === b.flash &&
    a.windowTitle === b.windowTitle &&
    a.notification?.callId === b.notification?.callId &&
    a.notification?.title === b.notification?.title &&
    a.notification?.body === b.notification?.body
  );
}
