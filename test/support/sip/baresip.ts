/**
 * A real baresip (Debian `baresip-core`, 1.0) as the SIP phone at the other
 * end of a call: registers over UDP with Kamailio, answers (by itself or when
 * told), plays a 440 Hz tone as its microphone, and reports through its
 * control socket what happened, including the DTMF keys it received.
 *
 * No sound card and no display: the source is `ausine` (a sine generator),
 * the player and the ringing sound go to `aubridge` under a device name that
 * no source reads, which accepts audio and drops it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BARESIP_MODULE_DIR } from './binaries.ts';
import { BaresipControl, type BaresipEvent } from './baresip-control.ts';
import { freePort } from '../free-port.ts';
import { SIP_DOMAIN } from './kamailio.ts';
import { freeSipPort, lostPortRace, mediaPortRange } from './ports.ts';
import { startProcess, type ChainProcess } from './process.ts';

export interface BaresipOptions {
  /** A folder of the chain's temp dir; baresip's config goes into a subfolder. */
  dir: string;
  user: string;
  password: string;
  /** Kamailio's UDP port on 127.0.0.1. */
  registrarPort: number;
  /**
   * 'auto': answers every call at once; 'manual' (default): waits for
   * accept(); 'early': answers 183 Session Progress with SDP at once (early
   * media), then waits for accept() (200) or hangup().
   */
  answerMode?: 'auto' | 'manual' | 'early';
  /**
   * Registration interval in seconds (default 30). baresip refreshes at
   * about 90 % of it, which is also how soon it registers again after
   * Kamailio forgot it (a restart).
   */
  registerIntervalSeconds?: number;
  /** Frequency of the tone baresip sends as its microphone (default 440). */
  toneHz?: number;
  /** Also send and receive video: a generated test picture as VP8 (baresip-core's vp8 and fakevideo modules). */
  video?: boolean;
  /** Wait for REGISTER_OK and fail on REGISTER_FAIL (default true). */
  waitForRegistration?: boolean;
}

export interface Baresip {
  user: string;
  /** sip:<user>@127.0.0.1 — what a caller dials. */
  aor: string;
  sipPort: number;
  control: BaresipControl;
  process: ChainProcess;
  stop(): Promise<void>;
}

/** Starts a baresip; once more on fresh ports if another process took one of its ports between our check and its bind. */
export async function startBaresip(options: BaresipOptions): Promise<Baresip> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startBaresipOnce(options);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof Error) || !lostPortRace(error.message)) throw error;
    }
  }
}

async function startBaresipOnce(options: BaresipOptions): Promise<Baresip> {
  const configDir = path.join(options.dir, `baresip-${options.user}`);
  mkdirSync(configDir, { recursive: true });
  const sipPort = await freeSipPort();
  const ctrlPort = await freePort();
  writeFileSync(path.join(configDir, 'config'), baresipConfig({ sipPort, ctrlPort, toneHz: options.toneHz ?? 440, video: options.video ?? false }));

  const logPath = path.join(options.dir, `baresip-${options.user}.log`);
  const proc = startProcess(`baresip ${options.user}`, 'baresip', ['-f', configDir], logPath, configDir);
  const stop = async () => {
    control?.close();
    // On SIGTERM baresip unregisters first; when Kamailio is gone already
    // that waits for a timeout, so do not wait long for it.
    await proc.stop(3000);
  };
  let control: BaresipControl | undefined;
  try {
    control = await BaresipControl.connect(ctrlPort, proc);
    const aor = `sip:${options.user}@${SIP_DOMAIN}`;
    // The account is added only now, over the control socket (not from an
    // accounts file at start), so no registration event can happen before
    // we listen for it.
    const mark = control.events.length;
    await control.command('uanew', accountLine(aor, options));
    if (options.waitForRegistration ?? true) {
      const event = await control.waitForEvent((e) => e.type === 'REGISTER_OK' || e.type === 'REGISTER_FAIL', 15_000, mark);
      if (event.type === 'REGISTER_FAIL') throw new Error(`${aor} could not register: ${event.param ?? ''}`);
    }
    return { user: options.user, aor, sipPort, control, process: proc, stop };
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nLog (${proc.logPath}):\n${proc.logTail()}`);
  }
}

/** A baresip account line: address of record, then parameters. */
function accountLine(aor: string, options: BaresipOptions): string {
  const params = [
    `auth_pass=${options.password}`,
    // The address of record stays sip:user@127.0.0.1 (what others dial);
    // requests go to Kamailio's UDP port.
    `outbound="sip:${SIP_DOMAIN}:${options.registrarPort}"`,
    `regint=${options.registerIntervalSeconds ?? 30}`,
    `answermode=${options.answerMode ?? 'manual'}`,
  ];
  return `<${aor}>;${params.join(';')}`;
}

/** A phone with a camera: a generated picture (fakevideo) sent as VP8, which Chromium also speaks; nothing is displayed. */
const VIDEO_CONFIG = `
module			vp8.so
module			fakevideo.so
video_source		fakevideo,nil
video_size		320x240
video_fps		15
`;

function baresipConfig({ sipPort, ctrlPort, toneHz, video }: { sipPort: number; ctrlPort: number; toneHz: number; video: boolean }): string {
  const media = mediaPortRange(100);
  return `# Generated by test/support/sip/baresip.ts; see there.
poll_method		epoll
sip_listen		127.0.0.1:${sipPort}
# Media from the loopback address too (not the machine's first interface).
net_interface		127.0.0.1
call_local_timeout	120
call_max_calls		4

# ausine only makes 48 kHz stereo; baresip resamples for PCMU/PCMA.
audio_source		ausine,${toneHz}
ausrc_srate		48000
ausrc_channels		2
audio_player		aubridge,nowhere
audio_alert		aubridge,nowhere
audio_level		no
rtp_ports		${media.min}-${media.max}
rtcp_mux		no
# baresip puts telephone events through the audio jitter buffer; its default
# of 5 frames would add 100 ms to every key it reports, which an IVR or PBX
# (Asterisk, FreeSWITCH) does not: they act on an event as it arrives.
# Loopback has no jitter to absorb, so no frames are held.
jitter_buffer_delay	0-10

module_path		${BARESIP_MODULE_DIR}
# PCMU and PCMA only (with telephone-event/8000, as baresip always offers).
module			g711.so
module			ausine.so
module			aubridge.so
# menu provides the commands (dial, accept, hangup, sndcode, uanew);
# ctrl_tcp carries them and the events over TCP.
module_app		menu.so
module_app		ctrl_tcp.so
ctrl_tcp_listen		127.0.0.1:${ctrlPort}
# No status line repainted on stderr many times a second during calls.
statmode_default	off
${video ? VIDEO_CONFIG : ''}`;
}

export type { BaresipEvent };
