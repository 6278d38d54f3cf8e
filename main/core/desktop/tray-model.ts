/**
 * What the tray icon (the menu-bar item on macOS) shows and offers, decided
 * without Electron: presence in its tooltip, the missed-call count, Show,
 * the do-not-disturb choices, updates (in a packaged app) and Quit. The
 * Electron glue turns it into a Menu.
 */
import type { ConnectionStatus } from '../../../common/ipc-contract.ts';
import type { DoNotDisturb } from '../../../common/settings-schema.ts';
import { english, type Translate } from '../../../common/i18n/index.ts';

export type TrayAction = 'show' | 'dnd-off' | 'dnd-busy' | 'dnd-silent' | 'updates' | 'quit';

export type TrayItem =
  | { kind: 'action'; action: TrayAction; label: string; enabled?: boolean }
  | { kind: 'choice'; action: TrayAction; label: string; checked: boolean }
  | { kind: 'separator' }
  | { kind: 'info'; label: string };

export type Presence = 'online' | 'connecting' | 'offline' | 'do-not-disturb';

export interface TrayModel {
  presence: Presence;
  tooltip: string;
  /** For the dock or taskbar badge where the OS has one; 0 shows none. */
  badgeCount: number;
  items: TrayItem[];
}

export interface TrayInputs {
  connection: ConnectionStatus;
  signedInAs: string | null;
  doNotDisturb: DoNotDisturb;
  unseenMissed: number;
  /** The update item (main/core/updates/update-policy.ts), or none where updates are off. */
  update?: { label: string; enabled: boolean } | null;
  /** The words in the app's language (default English). */
  t?: Translate;
}

function presenceText(presence: Presence, t: Translate): string {
  return presence === 'online' ? t('Online') : presence === 'connecting' ? t('Connecting…') : presence === 'offline' ? t('Offline') : t('Do not disturb');
}

export function trayModel({ connection, signedInAs, doNotDisturb, unseenMissed, update = null, t = english }: TrayInputs): TrayModel {
  const presence: Presence =
    connection === 'connected' ? (doNotDisturb === 'off' ? 'online' : 'do-not-disturb') : connection === 'failed' ? 'offline' : 'connecting';
  const state = presenceText(presence, t);
  const stateAndWho = signedInAs ? t('{{presence}} as {{name}}', { presence: state, name: signedInAs }) : state;
  const missedCalls = t('{{count}} missed calls', { count: unseenMissed });
  const missed = unseenMissed > 0 ? ` · ${missedCalls}` : '';
  return {
    presence,
    tooltip: `${t('Softphone: {{presence}}', { presence: presence === 'online' ? stateAndWho : state })}${missed}`,
    badgeCount: unseenMissed,
    items: [
      { kind: 'info', label: stateAndWho },
      ...(unseenMissed > 0 ? [{ kind: 'info' as const, label: missedCalls }] : []),
      { kind: 'separator' },
      { kind: 'action', action: 'show', label: t('Show Softphone') },
      { kind: 'separator' },
      { kind: 'choice', action: 'dnd-off', label: t('Calls ring'), checked: doNotDisturb === 'off' },
      { kind: 'choice', action: 'dnd-busy', label: t('Do not disturb: refuse calls'), checked: doNotDisturb === 'busy' },
      { kind: 'choice', action: 'dnd-silent', label: t('Do not disturb: ring silently'), checked: doNotDisturb === 'silent' },
      { kind: 'separator' },
      ...(update ? [{ kind: 'action' as const, action: 'updates' as const, label: update.label, enabled: update.enabled }] : []),
      { kind: 'action', action: 'quit', label: t('Quit Softphone') },
    ],
  };
}

/** The do-not-disturb setting a tray choice stands for. */
export function doNotDisturbOf(action: TrayAction): DoNotDisturb | null {
  return action === 'dnd-off' ? 'off' : action === 'dnd-busy' ? 'busy' : action === 'dnd-silent' ? 'silent' : null;
}
