/**
 * The user's settings (the IPC contract's `Settings`), in `<userData>/settings.json`.
 */
import path from 'node:path';
import type { Logger } from '../../common/logger.ts';
import { Settings } from '../../common/ipc-contract.ts';
import { createJsonFileStore, type Recovery } from './json-file-store.ts';

export const SETTINGS_FILE_NAME = 'settings.json';

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({ displayName: null });

export interface SettingsStoreOptions {
  userDataDir: string;
  log: Logger;
}

export interface SettingsStore {
  /** Reads the file; must be called (once) before anything else. */
  load(): Promise<{ settings: Settings; recovered: Recovery | null }>;
  get(): Settings;
  /** Merges `patch`, validates the result, saves it and returns it. */
  update(patch: Partial<Settings>): Promise<Settings>;
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
      return { settings: { ...value }, recovered };
    },

    // A copy, so callers cannot change the stored settings behind our back.
    get: () => ({ ...loaded() }),

    async update(patch) {
      // Throws before anything changes when the result would be invalid.
      const next = Settings.parse({ ...loaded(), ...patch });
      settings = next;
      await file.save(next);
      return { ...next };
    },
  };
}
