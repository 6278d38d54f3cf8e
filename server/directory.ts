/**
 * Where names are claimed and signals cross between server processes. One
 * process alone uses LocalDirectory; several processes sharing users use the
 * Redis one (server/cluster/redis-directory.ts). Both feed the same Presence.
 */
import type { Displacement, NameEntry, Presence } from './presence.ts';

/** A call signal for a user held by another node: the exact text to deliver, plus who sent it. */
export interface RemoteSignal {
  /** The recipient connection's id. */
  to: string;
  from: { sid: string; key: string; name: string };
  /** The signal's type: offers and answers link call partners, hang-ups unlink them (for `hang-up` with `target: null`). */
  type: string;
  /** The message as the recipient gets it, serialised once by the sender's node. */
  text: string;
}

export interface DirectoryHandlers {
  /** A signal another node routed to one of ours. */
  deliver(signal: RemoteSignal): void;
  /** A chat line another node broadcast. */
  chat(text: string): void;
}

export interface Directory {
  readonly nodeId: string;
  /**
   * Makes `entry` the holder of its key if the key is held by `expected`
   * (null: nobody). Resolves true once this node's Presence shows the change;
   * false when someone else changed the key first.
   */
  claim(entry: NameEntry, expected: NameEntry | null, displace?: Displacement): Promise<boolean>;
  /** Gives up the key if `entry` still holds it. */
  release(entry: NameEntry): Promise<void>;
  /** Passes a signal to the node that holds its recipient. */
  deliverRemote(node: string, signal: RemoteSignal): void;
  /** Passes a chat line to every other node. */
  broadcastRemote(text: string): void;
  /** Stops; with Redis, removes this node's users from the shared directory first. */
  close(): Promise<void>;
}

/** Names known to this process only. */
export class LocalDirectory implements Directory {
  readonly nodeId = 'local';
  private seq = 0;

  constructor(private readonly presence: Presence) {}

  async claim(entry: NameEntry, expected: NameEntry | null, displace?: Displacement): Promise<boolean> {
    const current = this.presence.get(entry.key) ?? null;
    if ((current?.sid ?? null) !== (expected?.sid ?? null)) return false;
    this.presence.apply({ op: 'set', seq: ++this.seq, entry, previous: current, displace });
    return true;
  }

  async release(entry: NameEntry): Promise<void> {
    this.presence.apply({ op: 'delete', seq: ++this.seq, entry });
  }

  deliverRemote(): void {}

  broadcastRemote(): void {}

  async close(): Promise<void> {}
}
