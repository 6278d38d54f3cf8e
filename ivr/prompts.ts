/**
 * Prompt audio: the spoken files made by `npm run ivr:prompts`, 8 kHz mono,
 * with a tone standing in for any prompt whose file is missing or unusable,
 * so the IVR still answers and still says something audible.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../common/logger.ts';
import { parseWav, resample } from './wav.ts';

export const PROMPT_RATE = 8000;

/** Prompt id → 8 kHz mono samples. */
export type PromptSet = ReadonlyMap<string, Int16Array>;

/**
 * Where the committed prompt files are: next to this module when run from
 * source; in the Electron main bundle (CommonJS), the build copies them to
 * `ivr-prompts/` beside it.
 */
export function defaultPromptsDir(): string {
  const candidates: string[] = [];
  if (typeof __dirname === 'string') candidates.push(path.join(__dirname, 'ivr-prompts'), path.join(__dirname, 'prompts'));
  else candidates.push(fileURLToPath(new URL('./prompts/', import.meta.url)));
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]!;
}

export function promptFile(dir: string, id: string): string {
  return path.join(dir, `${id}.wav`);
}

/** A two-note chime, distinct per prompt id so a listener can still tell the menus apart. */
export function tonePrompt(id: string): Int16Array {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const notes = [440 + (hash % 8) * 55, 440 + ((hash >> 3) % 8) * 55];
  const noteSamples = PROMPT_RATE * 0.25;
  const gapSamples = PROMPT_RATE * 0.05;
  const out = new Int16Array(notes.length * (noteSamples + gapSamples));
  notes.forEach((hz, n) => {
    const start = n * (noteSamples + gapSamples);
    for (let i = 0; i < noteSamples; i++) {
      // A short fade avoids clicks, which in-band DTMF detection could mistake for energy.
      const fade = Math.min(1, i / 80, (noteSamples - i) / 80);
      out[start + i] = Math.round(12000 * fade * Math.sin((2 * Math.PI * hz * i) / PROMPT_RATE));
    }
  });
  return out;
}

export async function loadPrompts(ids: Iterable<string>, dir: string, log: Logger): Promise<PromptSet> {
  const prompts = new Map<string, Int16Array>();
  const missing: string[] = [];
  for (const id of ids) {
    const file = promptFile(dir, id);
    try {
      const audio = parseWav(await readFile(file), file);
      prompts.set(id, resample(audio, PROMPT_RATE).samples);
    } catch (error) {
      missing.push(id);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.warn({ err: error, file }, 'unusable prompt file; using a tone instead');
      prompts.set(id, tonePrompt(id));
    }
  }
  if (missing.length) log.warn({ dir, missing }, 'prompt files missing; tone prompts stand in (run npm run ivr:prompts)');
  return prompts;
}
