/**
 * Counters the server keeps about itself, rendered in Prometheus' text
 * exposition format for GET /metrics.
 */

export interface Gauges {
  /** Everyone online (the whole cluster with Redis). */
  users: number;
  /** Users signed in on this process. */
  localUsers: number;
  connections: number;
  /** Bytes waiting in sockets' send buffers on this process. */
  bytesQueued: number;
}

type Labelled = Map<string, number>;

function bump(map: Labelled, label: string): void {
  map.set(label, (map.get(label) ?? 0) + 1);
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export class Metrics {
  routedMessages = 0;
  connectionsAccepted = 0;
  private readonly rejections: Labelled = new Map();
  private readonly closes: Labelled = new Map();
  private readonly handshakeRefusals: Labelled = new Map();

  rejected(code: string): void {
    bump(this.rejections, code);
  }

  closed(code: number): void {
    bump(this.closes, String(code));
  }

  refusedHandshake(status: number): void {
    bump(this.handshakeRefusals, String(status));
  }

  render(gauges: Gauges): string {
    const lines: string[] = [];
    const metric = (name: string, type: 'gauge' | 'counter', help: string, values: [string, number][] | number, label?: string) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      if (typeof values === 'number') lines.push(`${name} ${values}`);
      else for (const [value, count] of values) lines.push(`${name}{${label}="${escapeLabel(value)}"} ${count}`);
    };
    const memory = process.memoryUsage();
    metric('signaling_users', 'gauge', 'Users online (across every node sharing presence).', gauges.users);
    metric('signaling_local_users', 'gauge', 'Users signed in on this process.', gauges.localUsers);
    metric('signaling_connections', 'gauge', 'Open WebSocket connections, signed in or not.', gauges.connections);
    metric('signaling_connections_accepted_total', 'counter', 'WebSocket connections accepted.', this.connectionsAccepted);
    metric('signaling_routed_messages_total', 'counter', 'Call signals delivered to their target.', this.routedMessages);
    metric('signaling_rejections_total', 'counter', 'Error replies sent, by error code.', [...this.rejections], 'code');
    metric('signaling_closes_total', 'counter', 'Connections closed, by close code.', [...this.closes], 'code');
    metric('signaling_handshake_refusals_total', 'counter', 'WebSocket handshakes refused, by HTTP status.', [...this.handshakeRefusals], 'status');
    metric('signaling_bytes_queued', 'gauge', 'Bytes waiting to be sent to clients.', gauges.bytesQueued);
    metric('process_resident_memory_bytes', 'gauge', 'Resident memory of the server process.', memory.rss);
    metric('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use.', memory.heapUsed);
    return `${lines.join('\n')}\n`;
  }
}
