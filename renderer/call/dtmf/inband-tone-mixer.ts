/**
 * In-band DTMF: the key tones mixed into the audio we send, for a peer that
 * takes neither telephone events nor signaling messages (a plain gateway or
 * a person listening). The microphone keeps flowing through the mix, so
 * talking and keys can overlap as on a real phone.
 */
import { dtmfKey } from './dtmf-keys.ts';
import { playDualTone } from './dual-tone.ts';

/** Each frequency at about −10 dBFS: loud enough for any detector, well short of clipping with speech. */
const TONE_LEVEL = 0.3;
const SWITCH_SETTLE_MS = 150;

export class InbandToneMixer {
  private readonly context = new AudioContext();
  private readonly output = this.context.createMediaStreamDestination();
  private microphone: MediaStreamAudioSourceNode | null = null;

  private constructor() {}

  /** Routes the sender through the mix. The microphone track keeps running (mute still silences it). */
  static async attach(sender: RTCRtpSender): Promise<InbandToneMixer> {
    const mixer = new InbandToneMixer();
    mixer.setMicrophone(sender.track);
    await mixer.context.resume();
    await sender.replaceTrack(mixer.output.stream.getAudioTracks()[0]!);
    // The encoder restarts on the new track; a tone played at once is cut in
    // two by that hiccup and a detector hears the key twice.
    await new Promise((resolve) => setTimeout(resolve, SWITCH_SETTLE_MS));
    return mixer;
  }

  /** The mixed track: the one the sender now carries. */
  get track(): MediaStreamTrack {
    return this.output.stream.getAudioTracks()[0]!;
  }

  /** Feed a different microphone into the mix (after a device switch). */
  setMicrophone(track: MediaStreamTrack | null): void {
    this.microphone?.disconnect();
    this.microphone = track ? this.context.createMediaStreamSource(new MediaStream([track])) : null;
    this.microphone?.connect(this.output);
  }

  play(key: string, durationMs: number): void {
    const found = dtmfKey(key);
    if (found) playDualTone(this.context, this.output, found, durationMs, TONE_LEVEL);
  }

  /** Stops mixing. Only used when the call ends: the sender is closed with it. */
  close(): void {
    this.microphone?.disconnect();
    this.track.stop();
    void this.context.close();
  }
}
