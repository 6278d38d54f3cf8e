/**
 * The Electron side of a ringing call's attention (the core decides it, in
 * main/core/alerts/call-attention.ts): a system notification with Accept and
 * Decline where the OS offers actions (clicking it elsewhere brings the
 * window forward), the taskbar flash, and the window title. It also tells the
 * core whether the window is in front.
 */
import type { BrowserWindow, Notification as ElectronNotification } from 'electron';
import type { Logger } from '../../common/logger.ts';
import type { SoftphoneCore } from '../core/softphone-core.ts';

export interface CallNotificationDeps {
  core: Pick<SoftphoneCore, 'onAttention' | 'windowInFront' | 'notificationAction' | 'translate'>;
  Notification: typeof ElectronNotification;
  log: Logger;
}

const ACCEPT = 0;

/** Follows one window; returns a function that stops. */
export function attachCallNotifications(window: BrowserWindow, { core, Notification, log }: CallNotificationDeps): () => void {
  let shown: { callId: string; notification: ElectronNotification } | null = null;

  const bringForward = () => {
    if (window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };
  const close = () => {
    shown?.notification.close();
    shown = null;
  };
  const reportFront = () => {
    if (!window.isDestroyed()) core.windowInFront(window.isVisible() && !window.isMinimized() && window.isFocused());
  };

  const stopAttention = core.onAttention((attention) => {
    if (window.isDestroyed()) return;
    window.setTitle(attention.windowTitle);
    window.flashFrame(attention.flash);
    if (shown && shown.callId !== attention.notification?.callId) close();
    const wanted = attention.notification;
    if (!wanted || shown || !Notification.isSupported()) return;
    const t = core.translate();
    const notification = new Notification({
      title: wanted.title,
      body: wanted.body,
      // Buttons where the OS has them (macOS, Windows); elsewhere a click opens the call.
      actions: [
        { type: 'button', text: t('Accept') },
        { type: 'button', text: t('Decline') },
      ],
      urgency: 'critical',
      timeoutType: 'never',
    });
    notification.on('action', (_event, index) => {
      core.notificationAction(wanted.callId, index === ACCEPT ? 'accept' : 'decline');
      if (index === ACCEPT) bringForward();
    });
    notification.on('click', bringForward);
    notification.on('failed', (_event, error) => log.warn({ error }, 'the incoming-call notification could not be shown'));
    notification.show();
    shown = { callId: wanted.callId, notification };
  });

  // The page's <title> must not overwrite "Incoming call from …".
  const keepTitle = (event: { preventDefault(): void }) => event.preventDefault();
  window.on('page-title-updated', keepTitle);
  const events = ['focus', 'blur', 'show', 'hide', 'minimize', 'restore'] as const;
  for (const name of events) window.on(name as 'focus', reportFront);
  reportFront();

  return () => {
    stopAttention();
    close();
    window.off('page-title-updated', keepTitle);
    for (const name of events) window.off(name as 'focus', reportFront);
  };
}
