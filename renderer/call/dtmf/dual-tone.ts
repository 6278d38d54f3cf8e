/** Plays a key's two frequencies into a Web Audio node for a set time, with short ramps so it does not click. */
import type { DtmfKey } from './dtmf-keys.ts';

const RAMP_S = 0.004;

export function playDualTone(context: BaseAudioContext, destination: AudioNode, key: DtmfKey, durationMs: number, level: number): void {
  const start = context.currentTime;
  const end = start + durationMs / 1000;
  const gain = context.createGain();
  gain.gain.setValueAtTime(0, start);
  gain.gain.linearRampToValueAtTime(level, start + RAMP_S);
  gain.gain.setValueAtTime(level, end - RAMP_S);
  gain.gain.linearRampToValueAtTime(0, end);
  gain.connect(destination);
  for (const frequency of key.frequencies) {
    const oscillator = context.createOscillator();
    oscillator.frequency.value = frequency;
    oscillator.connect(gain);
    oscillator.start(start);
    oscillator.stop(end);
    oscillator.addEventListener('ended', () => gain.disconnect(), { once: true });
  }
}
