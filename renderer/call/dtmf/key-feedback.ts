/**
 * What the user hears when pressing a key: the key's own dual tone, quietly,
 * on the ringer output (the device chosen for the ringtone and keypad sound).
 */
import { dtmfKey } from './dtmf-keys.ts';
import { playDualTone } from './dual-tone.ts';

/** Quiet: feedback, not a second ringtone. */
const FEEDBACK_LEVEL = 0.04;

export function playKeyFeedback(output: AudioContext, key: string, durationMs: number): void {
  const found = dtmfKey(key);
  if (found) playDualTone(output, output.destination, found, durationMs, FEEDBACK_LEVEL);
}
