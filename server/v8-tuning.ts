/**
 * V8 settings for the standalone server, applied before anything else loads
 * (cli.ts imports this first).
 *
 * Allocation-site pretenuring off: while thousands of clients join, most of
 * what the server allocates lives on (sockets, connections), so V8 marks
 * those allocation sites "long-lived" and from then on allocates there
 * straight into the old generation. The same sites then make each routed
 * message's short-lived objects, which fill the old generation instead of
 * dying young: a full GC every half second, their buffers held until it runs.
 * Measured with 10,000 clients (bench:server): peak RSS 218 → 155 MiB, p99
 * latency 67 → 25 ms, full GCs while routing 16 → 2.
 *
 * One setting cannot be made from here, since V8 sizes its heap before any
 * script runs: `--max-semi-space-size=8` on node's command line, which
 * `npm run server`, the benchmark and the README's systemd unit pass. Each
 * of the young generation's two halves then grows to 8 MB instead of 16.
 * Measured (bench:server, pinned): 10,000 clients, 200 pairs routing, peak
 * RSS 148 → 131 MiB at the same throughput (the scavenger takes ~3% of the
 * CPU instead of ~2%); 1,000 clients 104 → 89 MiB. The cost shows under
 * heavier load: 2,000 clients all negotiating at once, 8–20% fewer routed
 * msgs/s for 13–33 MiB less RSS (3 rounds each). Smaller halves (4 or 2 MB)
 * are worse: what is in flight no longer dies young and fills the old
 * generation (10,000 clients: 184–191 MiB).
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--no-allocation-site-pretenuring');
