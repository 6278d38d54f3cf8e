/**
 * The user's settings (the IPC contract's `Settings`), in `<userData>/settings.json`.
 * `account`, `network` and `sipAccounts` are replaced whole; they hold no secrets (those are in the SecretStore).
 */
import path from 'node:path';
import type { Logger } from '../../common/logger.ts';
import { Settings, type SettingsPatch } from '../../common/ipc-contract.ts';
import { createJsonFileStore, type Recovery } from './json-file-store.ts';

export const SETTINGS_FILE_NAME = 'settings.json';

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze(Settings.parse({ displayName: null }));

export interface SettingsStoreOptions {
  userDataDir: string;
  log: Logger;
}

export interface SettingsStore {
  /** Reads the file; must be called (once) before anything else. */
  load(): Promise<{ settings: Settings; recovered: Recovery | null }>;
  get(): Settings;
  /** Merges `patch` (each group field by field), validates the result, saves it and returns it. */
  update(patch: Partial<Pick<Settings, 'displayName' | 'account' | 'network' | 'sipAccounts'>> & SettingsPatch): Promise<Settings>;
}

export function createSettingsStore(options: SettingsStoreOptions): SettingsStore {
  const file = createJsonFileStore({
    filePath: path.join(options.userDataDir, SETTINGS_FILE_NAME),
    schema: Settings,
    defaults: (): Settings => ({ ...DEFAULT_SETTINGS }),
    log: options.log,
  });
  let settings: Settings | null = null;

  function loaded(): Settings {
    if (!settings) throw new Error('Settings store used before load()');
    return settings;
  }

  return {
    async load() {
      const { value, recovered } = await file.load();
      settings = value;
      return { settings: structuredClone(value), recovered };
    },

    // A copy, so callers cannot change the stored settings behind our back.
    get: () => structuredClone(loaded()),

    async update(patch) {
      // Throws before anything changes when the result would be invalid.
      const current = loaded();
      const next = Settings.parse({
        ...current,
        ...patch,
        dtmf: { ...current.dtmf, ...patch.dtmf },
        devices: { ...current.devices, ...patch.devices },
        desktop: { ...current.desktop, ...patch.desktop },
      });
      settings = next;
      await file.save(next);
      return structuredClone(next);
    },
  };
}
