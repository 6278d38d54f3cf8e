/**
 * "Works out of the box": with no server configured, the first app instance
 * on this machine hosts the signaling server on 127.0.0.1 and later instances
 * join it. Before every connection attempt we try to host; if the port is
 * taken, someone else hosts and we connect to them. So when the hosting
 * instance quits, the next one to reconnect takes over.
 */
import type { Logger } from '../../common/logger.ts';
import { startSignalingServer, type SignalingServer } from '../../server/signaling-server.ts';

export const EMBEDDED_HOST = '127.0.0.1';

export class EmbeddedServerHost {
  private server: SignalingServer | null = null;
  private stopped = false;

  constructor(
    readonly port: number,
    private readonly log: Logger,
  ) {}

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
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const server = this.server;
    this.server = null;
    await server?.close();
  }
}
