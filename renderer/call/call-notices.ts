/**
 * Notices about calls the user did not see ring: a second call that came in
 * during a call was refused as busy, and the user is told who it was. Kept in
 * the renderer beside the device notices; 'change' when the list changes.
 */
import type { Notice } from '../../common/ipc-contract.ts';
import type { CallEngine, MissedWhileBusyEvent } from './call-engine.ts';
import { currentLanguage, t } from '../../common/i18n/index.ts';

export function describeMissedWhileBusy({ from, peer }: MissedWhileBusyEvent['detail'], at = new Date()): string {
  const time = at.toLocaleTimeString(currentLanguage(), { hour: '2-digit', minute: '2-digit' });
  if (from === peer) {
    // The same name as the call in progress, from elsewhere: not the person the user is talking to.
    return t('Missed call from {{from}} at {{time}}, from another connection than your call with {{peer}}. It was refused as busy.', { from, time, peer });
  }
  return t('Missed call from {{from}} at {{time}} while you were in a call with {{peer}}. {{from}} was told you are busy.', { from, time, peer });
}

export class CallNotices extends EventTarget {
  notices: Notice[] = [];
  private counter = 0;

  constructor(engine: CallEngine) {
    super();
    engine.addEventListener('missed-while-busy', (event) => {
      const detail = (event as MissedWhileBusyEvent).detail;
      this.notices = [...this.notices, { id: `call-${++this.counter}`, level: 'warning', text: describeMissedWhileBusy(detail) }];
      this.dispatchEvent(new Event('change'));
    });
  }

  /** False when the notice is not one of ours. */
  dismiss(id: string): boolean {
    const before = this.notices.length;
    this.notices = this.notices.filter((n) => n.id !== id);
    if (this.notices.length === before) return false;
    this.dispatchEvent(new Event('change'));
    return true;
  }
}
