/** Re-renders a component whenever one of the given EventTargets says 'change'. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class ChangeController implements ReactiveController {
  private sources: EventTarget[] = [];
  private readonly onChange = () => this.host.requestUpdate();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  watch(...sources: EventTarget[]): void {
    this.hostDisconnected();
    this.sources = sources;
    this.hostConnected();
  }

  hostConnected(): void {
    for (const source of this.sources) source.addEventListener('change', this.onChange);
  }

  hostDisconnected(): void {
    for (const source of this.sources) source.removeEventListener('change', this.onChange);
  }
}
