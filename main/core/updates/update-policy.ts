/**
 * What the app does and says about updates, decided without Electron: the
 * Electron glue (main/electron/app-updates.ts) feeds it the updater's events
 * and the user's choices, and carries out the steps it returns.
 *
 * - A check runs at start and when the user asks (the tray's "Check for
 *   updates…"). A found version downloads in the background.
 * - Nothing installs without the user saying so: a downloaded version asks
 *   "Restart now" or "Later". Later keeps the tray item "Restart to update…"
 *   and the next start asks again (the download is kept).
 * - The check at start speaks only when there is something to install; its
 *   failures (offline, no release yet) go to the log. A check the user asked
 *   for always answers: up to date, downloading, or what went wrong.
 */
import { english, type Translate } from '../../../common/i18n/index.ts';
import { errorReason, knownUpdateProblem, type UpdateErrorFacts } from './update-errors.ts';

/** Who started a check: the app at start (quiet), or the user (answered). */
export type UpdateTrigger = 'start' | 'user';

/** electron-updater's events, reduced to what decides anything. */
export type UpdaterEvent =
  | { kind: 'checking' }
  | { kind: 'none'; version: string }
  | { kind: 'available'; version: string }
  | { kind: 'downloaded'; version: string }
  | { kind: 'error'; error: UpdateErrorFacts };

export type UpdateStep =
  | { kind: 'check' }
  | { kind: 'download' }
  /** A message the user reads and closes (with the `ok` button). */
  | { kind: 'tell'; level: 'info' | 'warning'; message: string; detail: string; ok: string }
  /** The question before installing; the answer goes to restartAnswer(). */
  | { kind: 'ask-restart'; message: string; detail: string; restart: string; later: string }
  /** Quit, install and start again. */
  | { kind: 'install' };

export type RestartAnswer = 'restart' | 'later';

type Phase =
  | { name: 'idle' }
  | { name: 'checking' }
  | { name: 'downloading'; version: string }
  | { name: 'ready'; version: string }
  | { name: 'installing'; version: string };

export interface UpdateMenuItem {
  label: string;
  enabled: boolean;
}

export class UpdatePolicy {
  private phase: Phase = { name: 'idle' };
  /** The user asked (menu) and waits for an answer to this check or download. */
  private userWaiting = false;

  constructor(
    /** The running version (app.getVersion()). */
    private readonly currentVersion: string,
    /** The words in the app's current language (asked every time, so a language change shows at once). */
    private readonly translate: () => Translate = () => english,
  ) {}

  check(trigger: UpdateTrigger): UpdateStep[] {
    const user = trigger === 'user';
    switch (this.phase.name) {
      case 'idle':
        this.phase = { name: 'checking' };
        this.userWaiting = user;
        return [{ kind: 'check' }];
      case 'checking':
      case 'downloading':
        // Already under way: the user hears how it ends.
        this.userWaiting ||= user;
        return [];
      case 'ready':
        return user ? [this.askRestart(this.phase.version)] : [];
      case 'installing':
        return [];
    }
  }

  updaterEvent(event: UpdaterEvent): UpdateStep[] {
    const t = this.translate();
    switch (event.kind) {
      case 'checking':
        if (this.phase.name === 'idle') this.phase = { name: 'checking' };
        return [];
      case 'none': {
        const told = this.userWaiting;
        this.settle({ name: 'idle' });
        if (!told) return [];
        return [this.tell('info', t('Softphone is up to date.'), t('You have version {{version}}, the newest there is.', { version: this.currentVersion }))];
      }
      case 'available': {
        this.phase = { name: 'downloading', version: event.version };
        const steps: UpdateStep[] = [{ kind: 'download' }];
        if (this.userWaiting) {
          steps.push(
            this.tell('info', t('Version {{version}} is available.', { version: event.version }), t('It is being downloaded. Softphone asks you before it restarts to install it.')),
          );
        }
        return steps;
      }
      case 'downloaded':
        this.settle({ name: 'ready', version: event.version });
        return [this.askRestart(event.version)];
      case 'error':
        return this.failed(event.error, t);
    }
  }

  restartAnswer(answer: RestartAnswer): UpdateStep[] {
    if (this.phase.name !== 'ready' || answer === 'later') return [];
    this.phase = { name: 'installing', version: this.phase.version };
    return [{ kind: 'install' }];
  }

  /** The tray's update item: what it says now, and whether it can be clicked. */
  menuItem(): UpdateMenuItem {
    const t = this.translate();
    switch (this.phase.name) {
      case 'idle':
        return { label: t('Check for updates…'), enabled: true };
      case 'checking':
        return { label: t('Checking for updates…'), enabled: false };
      case 'downloading':
        return { label: t('Downloading version {{version}}…', { version: this.phase.version }), enabled: false };
      case 'ready':
        return { label: t('Restart to update to version {{version}}…', { version: this.phase.version }), enabled: true };
      case 'installing':
        return { label: t('Installing version {{version}}…', { version: this.phase.version }), enabled: false };
    }
  }

  private failed(error: UpdateErrorFacts, t: Translate): UpdateStep[] {
    const phase = this.phase;
    // The user chose to install: whatever stops it must be said, and the choice offered again.
    const installing = phase.name === 'installing';
    const told = this.userWaiting || installing;
    this.settle(installing ? { name: 'ready', version: phase.version } : phase.name === 'ready' ? phase : { name: 'idle' });
    if (!told) return [];
    const known = knownUpdateProblem(error, t);
    const reason = errorReason(error);
    const message =
      phase.name === 'installing'
        ? t('Version {{version}} could not be installed.', { version: phase.version })
        : phase.name === 'downloading'
          ? t('Version {{version}} could not be downloaded.', { version: phase.version })
          : t('Softphone could not check for updates.');
    return [this.tell('warning', message, known ?? reason)];
  }

  private tell(level: 'info' | 'warning', message: string, detail: string): UpdateStep {
    return { kind: 'tell', level, message, detail, ok: this.translate()('OK') };
  }

  private askRestart(version: string): UpdateStep {
    const t = this.translate();
    return {
      kind: 'ask-restart',
      message: t('Version {{version}} is ready to install.', { version }),
      detail: t('Softphone restarts to install it, which ends a call in progress. If you choose Later, it asks again at the next start.'),
      restart: t('Restart now'),
      later: t('Later'),
    };
  }

  private settle(phase: Phase): void {
    this.phase = phase;
    this.userWaiting = false;
  }
}
