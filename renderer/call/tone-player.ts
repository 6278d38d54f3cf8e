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

export class TonePlayer {
  private context: AudioContext | null = null;
  private stopCurrent: (() => void) | null = null;
  private currentName: string | null = null;

  /** The cadence now playing, e.g. "ringtone", or null. */
  get playing(): string | null {
    return this.currentName;
  }

  play(name: string, cadence: Cadence): void {
    if (this.currentName === name) return;
    this.stop();
    const context = (this.context ??= new AudioContext());
    void context.resume();
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
