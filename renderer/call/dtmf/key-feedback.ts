/**
 * What the user hears when pressing a key: the key's own dual tone, quietly,
 * on the device chosen for the ringtone and keypad sound.
 */
import { dtmfKey } from './dtmf-keys.ts';
import { playDualTone } from './dual-tone.ts';

/** Quiet: feedback, not a second ringtone. */
const FEEDBACK_LEVEL = 0.04;

type SinkableContext = AudioContext & { setSinkId?: (id: string) => Promise<void>; sinkId?: string };

export class KeyFeedback {
  private context: SinkableContext | null = null;

  /** @param sinkId the output device for keypad sound; '' is the system default. */
  constructor(private readonly sinkId: () => string = () => '') {}

  async play(key: string, durationMs: number): Promise<void> {
    const found = dtmfKey(key);
    if (!found) return;
    const context = (this.context ??= new AudioContext() as SinkableContext);
    const sink = this.sinkId();
    if (context.setSinkId && context.sinkId !== sink) {
      // A vanished device must not silence the keypad: stay on the current output.
      await context.setSinkId(sink).catch((error) => console.warn('Keypad sound stays on the previous output', error));
    }
    if (context.state !== 'running') await context.resume();
    playDualTone(context, context.destination, found, durationMs, FEEDBACK_LEVEL);
  }

  close(): void {
    void this.context?.close();
    this.context = null;
  }
}
