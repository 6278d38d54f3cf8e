/**
 * baresip's control socket (module ctrl_tcp): netstrings (`<length>:<json>,`)
 * both ways. We send `{command, params, token}`; baresip answers
 * `{response: true, ok, data, token}` and pushes events
 * `{event: true, type, class, accountaor, direction, peeruri, id, param}`.
 *
 * What baresip 1.0 reports, as seen here: REGISTERING, REGISTER_OK and
 * REGISTER_FAIL (param: the status line, e.g. "403 Forbidden");
 * CALL_INCOMING (manual answer mode only), CALL_RINGING, CALL_ESTABLISHED,
 * CALL_CLOSED (param: the reason); CALL_DTMF_START (param: the key) and
 * CALL_DTMF_END for each key received.
 */
import { createConnection, type Socket } from 'node:net';
import { sleep, type ChainProcess } from './process.ts';

export interface BaresipEvent {
  type: string;
  class?: string;
  accountaor?: string;
  direction?: 'incoming' | 'outgoing';
  peeruri?: string;
  /** The call's id (the SIP Call-ID). */
  id?: string;
  param?: string;
  /** When this process read the event (ms since the epoch, fractional): for latency benchmarks. */
  receivedAt: number;
  [key: string]: unknown;
}

export type RegistrationState = 'none' | 'registering' | 'registered' | 'failed';

interface Pending {
  resolve(data: string): void;
  reject(error: Error): void;
}

interface Waiter {
  predicate(event: BaresipEvent): boolean;
  resolve(event: BaresipEvent): void;
}

export class BaresipControl {
  /** Every event received, oldest first. */
  readonly events: BaresipEvent[] = [];
  /** Keys received in calls (CALL_DTMF_START), in order. */
  readonly dtmfKeys: string[] = [];
  registration: RegistrationState = 'none';
  private buffer = Buffer.alloc(0);
  private nextToken = 1;
  private readonly pending = new Map<string, Pending>();
  private waiters = new Set<Waiter>();
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => {
      this.closed = true;
      for (const { reject } of this.pending.values()) reject(new Error('baresip control socket closed'));
      this.pending.clear();
    });
    socket.on('error', () => {
      // 'close' follows and fails whatever was waiting.
    });
  }

  /** Connects once baresip listens on 127.0.0.1:port; fails with its log if it died first. */
  static async connect(port: number, proc: ChainProcess, timeoutMs = 15_000): Promise<BaresipControl> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!proc.running()) throw new Error(`${proc.name} exited before its control socket opened`);
      const socket = await tryConnect(port);
      if (socket) return new BaresipControl(socket);
      if (Date.now() > deadline) throw new Error(`${proc.name}: control socket 127.0.0.1:${port} did not open`);
      await sleep(100);
    }
  }

  /** Runs a baresip command; resolves with its text output, rejects when baresip says it failed. */
  command(command: string, params = ''): Promise<string> {
    if (this.closed) return Promise.reject(new Error('baresip control socket closed'));
    const token = String(this.nextToken++);
    const json = Buffer.from(JSON.stringify({ command, params, token }));
    this.socket.write(Buffer.concat([Buffer.from(`${json.length}:`), json, Buffer.from(',')]));
    return new Promise((resolve, reject) => this.pending.set(token, { resolve, reject }));
  }

  dial(uri: string): Promise<string> {
    return this.command('dial', uri);
  }

  /** Answers the incoming call (answer mode manual). */
  accept(): Promise<string> {
    return this.command('accept');
  }

  hangup(): Promise<string> {
    return this.command('hangup');
  }

  /** Sends one key in the current call, as an RFC 4733 telephone-event. */
  sendDtmf(key: string): Promise<string> {
    return this.command('sndcode', key);
  }

  /**
   * The first event matching `predicate`, counting events already received
   * from index `after` on (default: all of them), so an event that arrived
   * before the wait began is not missed. Pass `control.events.length` taken
   * before an action to see only what followed it.
   */
  waitForEvent(predicate: (event: BaresipEvent) => boolean, timeoutMs = 15_000, after = 0): Promise<BaresipEvent> {
    const seen = this.events.slice(after).find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (event) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(event);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const got = this.events.map((e) => `${e.type}${e.param ? ` (${e.param})` : ''}`).join(', ');
        reject(new Error(`baresip: no matching event within ${timeoutMs} ms; events so far: ${got || 'none'}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(':');
      if (colon < 0) return;
      const length = Number(this.buffer.subarray(0, colon).toString());
      const end = colon + 1 + length;
      if (this.buffer.length < end + 1) return;
      const text = this.buffer.subarray(colon + 1, end).toString();
      this.buffer = this.buffer.subarray(end + 1); // past the trailing ','
      this.handle(JSON.parse(text) as Record<string, unknown>);
    }
  }

  private handle(message: Record<string, unknown>): void {
    if (message.response === true) {
      const pending = this.pending.get(String(message.token));
      this.pending.delete(String(message.token));
      if (message.ok === true) pending?.resolve(String(message.data ?? ''));
      else pending?.reject(new Error(`baresip command failed: ${String(message.data ?? '')}`));
      return;
    }
    if (message.event !== true) return;
    const event = { ...message, receivedAt: performance.timeOrigin + performance.now() } as BaresipEvent;
    this.events.push(event);
    if (event.type === 'CALL_DTMF_START' && event.param) this.dtmfKeys.push(event.param);
    if (event.type === 'REGISTERING') this.registration = 'registering';
    if (event.type === 'REGISTER_OK') this.registration = 'registered';
    if (event.type === 'REGISTER_FAIL') this.registration = 'failed';
    if (event.type === 'UNREGISTERING') this.registration = 'none';
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate(event)) waiter.resolve(event);
    }
  }
}

function tryConnect(port: number): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', () => resolve(null));
  });
}
