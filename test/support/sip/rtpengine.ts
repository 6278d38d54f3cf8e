/**
 * A real rtpengine (Debian `rtpengine-daemon`) on loopback, in userspace
 * (`--table=-1`: no kernel module), as the media relay Kamailio asks to turn
 * WebRTC media (ICE, DTLS-SRTP, rtcp-mux) into plain RTP for SIP phones and
 * back. Kamailio talks to it over the NG control protocol on UDP.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { freeSipPort, mediaPortRange } from './ports.ts';
import { udpAnswers } from './probes.ts';
import { startProcess, waitUntilReady, type ChainProcess } from './process.ts';

export interface Rtpengine {
  /** UDP port of the NG control protocol on 127.0.0.1 (Kamailio's `rtpengine_sock`). */
  ngPort: number;
  process: ChainProcess;
  stop(): Promise<void>;
}

export async function startRtpengine(dir: string): Promise<Rtpengine> {
  const ngPort = await freeSipPort();
  const media = mediaPortRange();
  const proc = startProcess(
    'rtpengine',
    'rtpengine',
    [
      // Without this it reads /etc/rtpengine/rtpengine.conf, whose fixed
      // HTTP and CLI ports would clash between two chains.
      '--config-file=none',
      '--foreground',
      '--table=-1',
      '--interface=127.0.0.1',
      // One worker: with several, two threads can read the same socket at once
      // and forward its packets out of order. The kernel forwarding a real
      // deployment uses keeps order, and baresip counts a key's late RFC 4733
      // packet arriving after that key's end packet as the key pressed again
      // (CI once saw "01234567789*#ABCD").
      '--num-threads=1',
      `--listen-ng=127.0.0.1:${ngPort}`,
      `--port-min=${media.min}`,
      `--port-max=${media.max}`,
      '--log-stderr',
      '--log-level=6',
    ],
    path.join(dir, 'rtpengine.log'),
    dir,
  );
  try {
    await waitUntilReady(proc, `answer to an NG ping on port ${ngPort}`, () => ngPing(ngPort));
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return { ngPort, process: proc, stop: () => proc.stop() };
}

/** The NG protocol's `ping`: a cookie, then a bencoded dictionary; the answer is `pong`. */
function ngPing(port: number): Promise<boolean> {
  const cookie = randomBytes(6).toString('hex');
  return udpAnswers(
    port,
    () => `${cookie} d7:command4:pinge`,
    (answer) => answer.startsWith(`${cookie} `) && answer.includes('pong'),
  );
}
