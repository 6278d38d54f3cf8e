/**
 * "Works out of the box": with no server configured, the first app instance
 * on this machine hosts the signaling server on 127.0.0.1 and later instances
 * join it. Before every connection attempt we try to host; if the port is
 * taken, someone else hosts and we connect to them. So when the hosting
 * instance quits, the next one to reconnect takes over.
 *
 * The instance that hosts also runs the demo IVR against its server, so
 * there is always someone to call to try the keypad.
 */
import type { Logger } from '../../common/logger.ts';
import { startSignalingServer, type SignalingServer } from '../../server/signaling-server.ts';
import type { DemoIvr } from '../../ivr/demo-ivr.ts';

export const EMBEDDED_HOST = '127.0.0.1';
export const EMBEDDED_IVR_NAME = 'Demo IVR';

export interface EmbeddedServerHostOptions {
  port: number;
  log: Logger;
  /** This user's local key (common/local-key.ts), which the server and its clients prove to each other. */
  key: Buffer;
  /** Where the key is kept, for the demo IVR to read. */
  keyFile: string;
  /** Run the demo IVR beside the hosted server (default true). */
  demoIvr?: boolean;
}

export class EmbeddedServerHost {
  private server: SignalingServer | null = null;
  private ivr: Promise<DemoIvr | null> | null = null;
  private stopped = false;

  readonly port: number;
  private readonly log: Logger;

  // TODO(server engineer): hand options.key to the server and options.keyFile to the IVR.
  constructor(private readonly options: EmbeddedServerHostOptions) {
    this.port = options.port;
    this.log = options.log;
  }

  get url(): string {
    return `ws://${EMBEDDED_HOST}:${this.port}`;
  }

  get hosting(): boolean {
    return this.server !== null;
  }

  /** Host the server if nobody does. Never throws: failing to host just means we join. */
  async ensure(): Promise<void> {
    if (this.server || this.stopped) return;
    try {
      this.server = await startSignalingServer({ host: EMBEDDED_HOST, port: this.port, log: this.log });
      this.log.info({ url: this.url }, 'hosting the signaling server');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE') this.log.warn({ err: error }, 'could not host the signaling server');
      return;
    }
    // Not awaited: the app's own connection must not wait for the IVR's media stack to load.
    if (this.options.demoIvr !== false) this.ivr = this.startIvr(this.server.url);
  }

  /** The demo IVR, once it has signed in; null if it is not running. */
  async demoIvr(): Promise<DemoIvr | null> {
    return (await this.ivr) ?? null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const server = this.server;
    const ivr = this.ivr;
    this.server = null;
    this.ivr = null;
    await (await ivr)?.stop();
    await server?.close();
  }

  private async startIvr(serverUrl: string): Promise<DemoIvr | null> {
    try {
      // Loaded on demand: werift and Opus are only needed by the instance that hosts.
      const { startDemoIvr } = await import('../../ivr/demo-ivr.ts');
      const ivr = await startDemoIvr({ serverUrl, name: EMBEDDED_IVR_NAME, log: this.log });
      if (this.stopped) {
        await ivr.stop();
        return null;
      }
      return ivr;
    } catch (error) {
      this.log.warn({ err: error }, 'could not start the demo IVR; the softphone works without it');
      return null;
    }
  }
}
