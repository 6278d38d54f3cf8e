/**
 * In-band DTMF: the key tones mixed into the audio we send, for a peer that
 * takes neither telephone events nor signaling messages (a plain gateway or
 * a person listening). The microphone keeps flowing through the mix but is
 * silenced while a tone plays, as telephone adapters do: a sound from the
 * room over a tone can break it in two, and a detector then hears the key twice.
 */
import { dtmfKey } from './dtmf-keys.ts';
import { playDualTone } from './dual-tone.ts';

/** Each frequency at about −10 dBFS: loud enough for any detector, well short of clipping with speech. */
const TONE_LEVEL = 0.3;
const SWITCH_SETTLE_MS = 150;

export class InbandToneMixer {
  private readonly context = new AudioContext();
  private readonly output = this.context.createMediaStreamDestination();
  /** The microphone's way into the mix; ducked to 0 under each tone. */
  private readonly microphoneGain = this.context.createGain();
  private microphone: MediaStreamAudioSourceNode | null = null;

  private constructor() {
    this.microphoneGain.connect(this.output);
  }

  /** Routes the sender through the mix. The microphone track keeps running (mute still silences it). */
  static async attach(sender: RTCRtpSender): Promise<InbandToneMixer> {
    const mixer = new InbandToneMixer();
    try {
      mixer.setMicrophone(sender.track);
      await mixer.context.resume();
      await sender.replaceTrack(mixer.output.stream.getAudioTracks()[0]!);
    } catch (error) {
      // The call closed under us: nothing may keep running.
      mixer.close();
      throw error;
    }
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
    this.microphone?.connect(this.microphoneGain);
  }

  play(key: string, durationMs: number): void {
    const found = dtmfKey(key);
    if (!found) return;
    const { currentTime } = this.context;
    const gain = this.microphoneGain.gain;
    gain.cancelScheduledValues(currentTime);
    gain.setValueAtTime(0, currentTime);
    gain.setValueAtTime(1, currentTime + durationMs / 1000);
    playDualTone(this.context, this.output, found, durationMs, TONE_LEVEL);
  }

  /** Stops mixing. Only used when the call ends: the sender is closed with it. */
  close(): void {
    this.microphone?.disconnect();
    this.track.stop();
    void this.context.close();
  }
}
