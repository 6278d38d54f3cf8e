/**
 * `npm run ivr:prompts`: speaks every prompt of a menu with espeak-ng into
 * ivr/prompts/<id>.wav (8 kHz mono 16-bit). Run once when the menu's words
 * change and commit the files; nothing at run time or in CI needs espeak.
 *
 *   tsx ivr/generate-prompts.ts [--menu ivr/menus/demo-menu.json] [--out ivr/prompts]
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadMenuFile, menuPrompts } from './menu.ts';
import { PROMPT_RATE, promptFile } from './prompts.ts';
import { encodeWav, parseWav, resample } from './wav.ts';

/** Leaves headroom but keeps prompts well above any silence threshold. */
const PEAK = 0.7 * 32767;

const { values } = parseArgs({
  options: { menu: { type: 'string', default: 'ivr/menus/demo-menu.json' }, out: { type: 'string', default: 'ivr/prompts' } },
});
const menu = await loadMenuFile(values.menu);
await mkdir(values.out, { recursive: true });
for (const [id, text] of menuPrompts(menu)) {
  let wav: Buffer;
  try {
    wav = execFileSync('espeak-ng', ['-v', 'en-us', '-s', '175', '--stdout', text], { maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    console.error(`espeak-ng failed (apt-get install espeak-ng): ${(error as Error).message}`);
    process.exit(1);
  }
  const audio = resample(parseWav(wav, `espeak-ng output for "${id}"`), PROMPT_RATE);
  const peak = audio.samples.reduce((max, s) => Math.max(max, Math.abs(s)), 1);
  const gain = PEAK / peak;
  const samples = audio.samples.map((s) => Math.round(s * gain));
  const file = promptFile(values.out, id);
  await writeFile(file, encodeWav({ sampleRate: PROMPT_RATE, samples }));
  console.log(`${path.relative(process.cwd(), file)}: ${(samples.length / PROMPT_RATE).toFixed(1)} s`);
}
