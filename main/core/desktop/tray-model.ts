/**
 * What the tray icon (the menu-bar item on macOS) shows and offers, decided
 * without Electron: presence in its tooltip, the missed-call count, Show,
 * the do-not-disturb choices and Quit. The Electron glue turns it into a Menu.
 */
import type { ConnectionStatus } from '../../../common/ipc-contract.ts';
import type { DoNotDisturb } from '../../../common/settings-schema.ts';

export type TrayAction = 'show' | 'dnd-off' | 'dnd-busy' | 'dnd-silent' | 'quit';

export type TrayItem =
  | { kind: 'action'; action: TrayAction; label: string }
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
}

const PRESENCE_TEXT: Record<Presence, string> = {
  online: 'Online',
  connecting: 'Connecting…',
  offline: 'Offline',
  'do-not-disturb': 'Do not disturb',
};

export function trayModel({ connection, signedInAs, doNotDisturb, unseenMissed }: TrayInputs): TrayModel {
  const presence: Presence =
    connection === 'connected' ? (doNotDisturb === 'off' ? 'online' : 'do-not-disturb') : connection === 'failed' ? 'offline' : 'connecting';
  const who = signedInAs ? ` as ${signedInAs}` : '';
  const missed = unseenMissed > 0 ? ` · ${unseenMissed} missed ${unseenMissed === 1 ? 'call' : 'calls'}` : '';
  return {
    presence,
    tooltip: `Softphone: ${PRESENCE_TEXT[presence]}${presence === 'online' ? who : ''}${missed}`,
    badgeCount: unseenMissed,
    items: [
      { kind: 'info', label: `${PRESENCE_TEXT[presence]}${who}` },
      ...(unseenMissed > 0 ? [{ kind: 'info' as const, label: `${unseenMissed} missed ${unseenMissed === 1 ? 'call' : 'calls'}` }] : []),
      { kind: 'separator' },
      { kind: 'action', action: 'show', label: 'Show Softphone' },
      { kind: 'separator' },
      { kind: 'choice', action: 'dnd-off', label: 'Calls ring', checked: doNotDisturb === 'off' },
      { kind: 'choice', action: 'dnd-busy', label: 'Do not disturb: refuse calls', checked: doNotDisturb === 'busy' },
      { kind: 'choice', action: 'dnd-silent', label: 'Do not disturb: ring silently', checked: doNotDisturb === 'silent' },
      { kind: 'separator' },
      { kind: 'action', action: 'quit', label: 'Quit Softphone' },
    ],
  };
}

/** The do-not-disturb setting a tray choice stands for. */
export function doNotDisturbOf(action: TrayAction): DoNotDisturb | null {
  return action === 'dnd-off' ? 'off' : action === 'dnd-busy' ? 'busy' : action === 'dnd-silent' ? 'silent' : null;
}
