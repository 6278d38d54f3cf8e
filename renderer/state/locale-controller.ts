/**
 * Re-renders its component when the app's language changes (see
 * common/i18n): every component that shows words adds one.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { onLanguageChanged } from '../../common/i18n/index.ts';

export class LocaleController implements ReactiveController {
  private stop: (() => void) | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.stop ??= onLanguageChanged(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.stop?.();
    this.stop = null;
  }
}
