/**
 * Free ports for SIP on loopback. SIP software binds a port on UDP and often
 * on TCP too (baresip listens on both for `sip_listen`), so a SIP port must be
 * free on both; test/support/free-port.ts checks TCP only.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/**
 * A port on 127.0.0.1 that is free for UDP and TCP right now, with the next
 * one free for TCP too: baresip built with TLS (Debian's is) also listens for
 * SIP over TLS on `sip_listen`'s port + 1, and fails to start when that one
 * is taken (as CI once saw: "SIP/TLS transport failed: Address already in use").
 */
export async function freeSipPort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await freeUdpPort();
    if (port < 65_535 && (await tcpFree(port)) && (await tcpFree(port + 1))) return port;
  }
  throw new Error('No port free for UDP and TCP (and the next one for TCP) on 127.0.0.1');
}

/** Whether a process failed to start only because a port we picked was taken in the meantime. */
export function lostPortRace(log: string): boolean {
  return /Address already in use|EADDRINUSE/.test(log);
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', resolve);
  });
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A random block of `size` ports for a media relay, in the upper part of the
 * ephemeral range, so two chains started in parallel rarely share one (and
 * when they do, rtpengine skips ports in use).
 */
export function mediaPortRange(size = 200): { min: number; max: number } {
  const min = 40_000 + 2 * Math.floor((Math.random() * (20_000 - size)) / 2);
  return { min, max: min + size - 1 };
}
