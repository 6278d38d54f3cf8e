/**
 * An app stand-in for tests of orphaned IVR workers: hosts the embedded
 * server (with its IVR worker) in this process, reports the IVR's pid to the
 * test over IPC, and then just runs until killed.
 *   fork('test/ivr/embedded-host-child.ts', [port, keyFile], { execArgv: ['--import', 'tsx'] })
 */
import pino from 'pino';
import { loadOrCreateLocalKey } from '../../common/local-key.ts';
import { EmbeddedServerHost } from '../../main/core/embedded-server-host.ts';

const [port, keyFile] = process.argv.slice(2);
if (!port || !keyFile || !process.send) throw new Error('usage: fork embedded-host-child.ts PORT KEYFILE (with an IPC channel)');
const host = new EmbeddedServerHost({ port: Number(port), log: pino({ level: 'warn' }), key: await loadOrCreateLocalKey(keyFile), keyFile });
await host.ensure();
const ivr = await host.demoIvr();
process.send({ hostPid: process.pid, ivrPid: ivr?.pid ?? null });
// Stay up until the test kills this process.
setInterval(() => {}, 60_000);
