/**
 * Ringtone and ringback, synthesised with Web Audio so no sound file ships and
 * the tones start instantly. Patterns follow the usual telephone cadences.
 */

interface Cadence {
  frequencies: number[];
  onMs: number;
  offMs: number;
  gain: number;
}

/** Incoming call: the North American ring, 440 + 480 Hz, 2 s on, 4 s off. */
export const RINGTONE: Cadence = { frequencies: [440, 480], onMs: 2000, offMs: 4000, gain: 0.12 };
/** Outgoing call, the far end is ringing: 425 Hz, 1 s on, 4 s off. */
export const RINGBACK: Cadence = { frequencies: [425], onMs: 1000, offMs: 4000, gain: 0.06 };

/** Output device selection for Web Audio (Chromium 110+); TypeScript's DOM library does not have it yet. */
interface SinkableAudioContext extends AudioContext {
  readonly sinkId: string;
  setSinkId(sinkId: string): Promise<void>;
}

function createAudioContext(sinkId: string): SinkableAudioContext {
  if (sinkId) {
    try {
      return new AudioContext({ sinkId } as AudioContextOptions) as SinkableAudioContext;
    } catch (error) {
      // An unknown device: ring on the default rather than not at all.
      console.warn('Could not ring on the chosen device', error);
    }
  }
  return new AudioContext() as SinkableAudioContext;
}

export class TonePlayer {
  private context: SinkableAudioContext | null = null;
  private stopCurrent: (() => void) | null = null;
  private currentName: string | null = null;
  private sink = '';

  /** The cadence now playing, e.g. "ringtone", or null. */
  get playing(): string | null {
    return this.currentName;
  }

  /** The output device the tones play on; '' is the system default. */
  get sinkId(): string {
    return this.sink;
  }

  /** Play on another output device, also while a tone is sounding (AudioContext.setSinkId, Chromium 110+). */
  setSinkId(sinkId: string): void {
    if (sinkId === this.sink) return;
    this.sink = sinkId;
    this.context?.setSinkId(sinkId).catch((error: unknown) => {
      // The device went away between choosing and switching: the default keeps playing.
      console.warn('Could not move the ringtone to the chosen device', error);
    });
  }

  /**
   * The ringer output (the device chosen for the ringtone and keypad sound),
   * for other short sounds that belong there, such as key feedback.
   */
  output(): AudioContext {
    const context = (this.context ??= createAudioContext(this.sink));
    void context.resume();
    return context;
  }

  play(name: string, cadence: Cadence): void {
    if (this.currentName === name) return;
    this.stop();
    const context = this.output();
    const output = context.createGain();
    output.gain.value = 0;
    output.connect(context.destination);
    const oscillators = cadence.frequencies.map((frequency) => {
      const oscillator = context.createOscillator();
      oscillator.frequency.value = frequency;
      oscillator.connect(output);
      oscillator.start();
      return oscillator;
    });
    const period = (cadence.onMs + cadence.offMs) / 1000;
    const schedule = (from: number) => {
      // Schedule a minute ahead and refresh; gentle ramps avoid clicks.
      for (let t = from; t < from + 60; t += period) {
        output.gain.setTargetAtTime(cadence.gain, t, 0.01);
        output.gain.setTargetAtTime(0, t + cadence.onMs / 1000, 0.01);
      }
    };
    schedule(context.currentTime);
    const refresh = setInterval(() => {
      output.gain.cancelScheduledValues(context.currentTime);
      schedule(context.currentTime);
    }, 60_000);
    this.currentName = name;
    this.stopCurrent = () => {
      clearInterval(refresh);
      output.gain.cancelScheduledValues(context.currentTime);
      output.gain.setTargetAtTime(0, context.currentTime, 0.01);
      oscillators.forEach((o) => o.stop(context.currentTime + 0.05));
      setTimeout(() => output.disconnect(), 100);
    };
  }

  stop(): void {
    this.stopCurrent?.();
    this.stopCurrent = null;
    this.currentName = null;
  }
}
