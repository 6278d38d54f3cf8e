/**
 * The Electron side of tel:, callto: and sip: links: the app registers as the
 * OS handler for them, and a clicked link reaches the core however the OS
 * delivers it (macOS: `open-url`, also before the app is ready; Windows and
 * Linux: the command line of a first start, or of a second start that hands
 * over to the running instance). The core decides what a link means.
 */
import path from 'node:path';
import type { App } from 'electron';
import type { Logger } from '../../common/logger.ts';
import { CALL_LINK_SCHEMES, linkInArgv } from '../core/links/call-link.ts';

export interface CallLinkTarget {
  openLink(url: string): void;
}

export class CallLinks {
  private target: CallLinkTarget | null = null;
  /** A link that came before the core was there (a cold start from a click). */
  private waiting: string | null = null;

  constructor(
    private readonly app: App,
    private readonly log: Logger,
  ) {}

  /** Call before ready: macOS sends `open-url` for the link that started the app before `ready`. */
  listen(argv: readonly string[]): void {
    // Unpackaged (`electron .`), the OS must start Electron with the app's folder as its argument.
    const command = process.defaultApp ? { path: process.execPath, args: [path.resolve(argv[1] ?? '.')] } : null;
    for (const scheme of CALL_LINK_SCHEMES) {
      // electronegativity: PROTOCOL_HANDLER_JS_CHECK — the schemes are tel:, callto: and sip:, made to be
      // clicked on any web page; so a link is only ever data: parseCallLink reads it as a number or an
      // address (refusing anything else), and it only fills the dial box, where the user confirms the call.
      const registered = command ? this.app.setAsDefaultProtocolClient(scheme, command.path, command.args) : this.app.setAsDefaultProtocolClient(scheme);
      if (!registered) this.log.info({ scheme }, 'not registered as the handler for this link scheme');
    }
    this.app.on('open-url', (event, url) => {
      event.preventDefault();
      this.deliver(url);
    });
    const atStart = linkInArgv(argv);
    if (atStart) this.deliver(atStart);
  }

  /** The argv of a second start, handed over to this instance. */
  fromSecondInstance(argv: readonly string[]): void {
    const link = linkInArgv(argv);
    if (link) this.deliver(link);
  }

  /** The core is ready: links go straight to it from now on. */
  attach(target: CallLinkTarget): void {
    this.target = target;
    if (this.waiting) target.openLink(this.waiting);
    this.waiting = null;
  }

  private deliver(url: string): void {
    if (this.target) this.target.openLink(url);
    else this.waiting = url;
  }
}
