/**
 * For a settings form: re-renders it whenever the store changes, and fills it
 * from the store once, the first time there is one. Later changes elsewhere
 * do not overwrite what the user is typing.
 */
import type { ReactiveControllerHost } from 'lit';
import type { AppStore } from './app-store.ts';
import { ChangeController } from './change-controller.ts';

export class StoreFormController {
  private loaded = false;
  private readonly changes: ChangeController;

  constructor(
    host: ReactiveControllerHost,
    private readonly load: (store: AppStore) => void,
  ) {
    this.changes = new ChangeController(host);
  }

  /** Call from the host's willUpdate with the store it has (none yet: nothing happens). */
  watch(store: AppStore | undefined): void {
    if (!store) return;
    this.changes.watch(store);
    if (!this.loaded) {
      this.loaded = true;
      this.load(store);
    }
  }
}
