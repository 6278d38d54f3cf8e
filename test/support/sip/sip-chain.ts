/**
 * The whole SIP test chain on loopback, started by a test for itself:
 * rtpengine (media relay) first, because Kamailio pings it when it starts;
 * then Kamailio (registrar and proxy, WebSocket and UDP); then one baresip
 * per user that asks for one, each registered before this returns.
 *
 * Everything lives in one temp dir (configs and one log per process);
 * stop() kills every process by its pid and removes the dir, also when the
 * start failed halfway (the error then carries the failing process's log).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeWav } from '../../../ivr/wav.ts';
import { startBaresip, type Baresip, type BaresipOptions } from './baresip.ts';
import { startKamailio, type Kamailio, type SipUser } from './kamailio.ts';
import { startRtpengine, type Rtpengine } from './rtpengine.ts';

export { sipChainMissing } from './binaries.ts';

/** Options for a user's baresip; `true` for the defaults. */
export type ChainBaresipOptions = Pick<BaresipOptions, 'answerMode' | 'registerIntervalSeconds' | 'toneHz' | 'video'>;

export interface SipChainUser extends SipUser {
  /** Run a baresip registered as this user (default: no, e.g. the softphone's own user). */
  baresip?: boolean | ChainBaresipOptions;
}

export interface SipChain {
  /** Kamailio's WebSocket address for SIP clients, ws://127.0.0.1:<port>/ws (subprotocol "sip"). */
  wsUrl: string;
  /** Domain of every user's address (sip:<user>@127.0.0.1) and the digest realm. */
  domain: string;
  /** Kamailio's UDP SIP port on 127.0.0.1. */
  udpPort: number;
  kamailio: Kamailio;
  rtpengine: Rtpengine;
  /** The baresips started, by user name. */
  baresip: Record<string, Baresip>;
  /** The chain's temp dir (configs and logs). */
  dir: string;
  /** Another baresip in this chain, e.g. with a wrong password; stopped with the chain. */
  startBaresip(options: Omit<BaresipOptions, 'dir' | 'registrarPort'>): Promise<Baresip>;
  stop(): Promise<void>;
}

export interface SipChainOptions {
  users: SipChainUser[];
  /**
   * Kamailio has rtpengine play a tone (425 Hz, the ringback tone of most of
   * Europe) to a WebRTC caller while the callee rings with early media: from
   * the callee's 183 with SDP to its 200 (see kamailio.ts).
   */
  earlyMediaAnnouncement?: boolean;
}

export async function startSipChain(options: SipChainOptions): Promise<SipChain> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'softphone-sip-'));
  const stoppers: Array<() => Promise<void>> = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // Newest first: baresips unregister while Kamailio still answers, and
    // Kamailio stops before the rtpengine it talks to.
    for (const stopOne of stoppers.reverse()) await stopOne().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const rtpengine = await startRtpengine(dir);
    stoppers.push(() => rtpengine.stop());
    const users = options.users.map(({ user, password }) => ({ user, password }));
    let earlyMediaAnnouncement: string | undefined;
    if (options.earlyMediaAnnouncement) {
      earlyMediaAnnouncement = path.join(dir, 'announcement.wav');
      writeFileSync(earlyMediaAnnouncement, toneWav(ANNOUNCEMENT_HZ, ANNOUNCEMENT_SECONDS));
    }
    const kamailio = await startKamailio({ dir, users, rtpengineNgPort: rtpengine.ngPort, earlyMediaAnnouncement });
    stoppers.push(() => kamailio.stop());

    const addBaresip = async (baresipOptions: Omit<BaresipOptions, 'dir' | 'registrarPort'>) => {
      const baresip = await startBaresip({ ...baresipOptions, dir, registrarPort: kamailio.udpPort });
      stoppers.push(() => baresip.stop());
      return baresip;
    };
    const baresip: Record<string, Baresip> = {};
    for (const user of options.users) {
      if (!user.baresip) continue;
      const extra = user.baresip === true ? {} : user.baresip;
      baresip[user.user] = await addBaresip({ user: user.user, password: user.password, ...extra });
    }

    return {
      wsUrl: kamailio.wsUrl,
      domain: kamailio.domain,
      udpPort: kamailio.udpPort,
      kamailio,
      rtpengine,
      baresip,
      dir,
      startBaresip: addBaresip,
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`SIP chain did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const ANNOUNCEMENT_HZ = 425;
/** Longer than any test rings; rtpengine stops at the end of the file. */
const ANNOUNCEMENT_SECONDS = 60;

/** A steady tone at about a third of full scale, 8 kHz mono like the telephone network. */
function toneWav(hz: number, seconds: number): Buffer {
  const sampleRate = 8000;
  const samples = new Int16Array(sampleRate * seconds);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(12_000 * Math.sin((2 * Math.PI * hz * i) / sampleRate));
  return encodeWav({ sampleRate, samples });
}
