/**
 * `npm run ivr -- --server ws://127.0.0.1:8765 --name "Demo IVR" --menu ivr/menus/demo-menu.json`
 * Runs the demo IVR until Ctrl-C. Log lines (JSON) go to stderr.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadOrCreateLocalKey } from '../common/local-key.ts';
import { createLogger } from '../common/logger.ts';
import { startDemoIvr, DEFAULT_IVR_NAME, DEFAULT_MAX_CALLS } from './demo-ivr.ts';
import { loadMenuFile } from './menu.ts';
import type { AudioOptions } from './types.ts';

const usage = `usage: npm run ivr -- [--server ws://127.0.0.1:8765] [--name "${DEFAULT_IVR_NAME}"] [--menu FILE]
                    [--codec opus|pcmu] [--telephone-event 48000,8000] [--prompts DIR]
                    [--max-calls ${DEFAULT_MAX_CALLS}]
                    [--key-file FILE]       (sign in with this local key, as the app's embedded server asks)
                    [--no-signaling-dtmf]   (act as a plain gateway: no keys over signaling)`;

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      server: { type: 'string', default: 'ws://127.0.0.1:8765' },
      name: { type: 'string', default: DEFAULT_IVR_NAME },
      menu: { type: 'string' },
      codec: { type: 'string', default: 'opus' },
      'telephone-event': { type: 'string', default: '48000,8000' },
      prompts: { type: 'string' },
      'max-calls': { type: 'string', default: String(DEFAULT_MAX_CALLS) },
      'key-file': { type: 'string' },
      'no-signaling-dtmf': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (values.codec !== 'opus' && values.codec !== 'pcmu') fail(`--codec must be opus or pcmu, not "${values.codec}"`);
const rates = values['telephone-event'].split(',').map((rate) => Number(rate.trim()));
if (rates.length === 0 || rates.some((rate) => rate !== 8000 && rate !== 48000)) fail('--telephone-event takes 8000, 48000 or both, comma-separated');
const audio: AudioOptions = { codec: values.codec, telephoneEventRates: rates as AudioOptions['telephoneEventRates'] };
const maxCalls = Number(values['max-calls']);
if (!Number.isInteger(maxCalls) || maxCalls < 1) fail(`--max-calls takes a whole number of at least 1, not "${values['max-calls']}"`);
// An existing key only: a mistyped path must not quietly make a new key nobody else knows.
if (values['key-file'] && !existsSync(values['key-file'])) fail(`--key-file: there is no key file at ${values['key-file']}`);

const log = createLogger('ivr');
try {
  const menu = values.menu ? await loadMenuFile(values.menu) : undefined;
  // The key is read from its file, never given on the command line.
  const auth = values['key-file'] ? { localKey: await loadOrCreateLocalKey(values['key-file']), service: true } : undefined;
  const ivr = await startDemoIvr({ serverUrl: values.server, name: values.name, menu, audio, promptsDir: values.prompts, signalingDtmf: !values['no-signaling-dtmf'], maxCalls, auth, log });
  console.log(`${ivr.name} is answering calls on ${values.server}`);
  const shutdown = () => {
    void ivr.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
