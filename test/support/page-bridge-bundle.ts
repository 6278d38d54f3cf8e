/** Builds page-bridge.ts into one script for page.addInitScript, once per worker. */
import { build, type Rolldown } from 'vite';
import path from 'node:path';

let bundle: Promise<string> | null = null;

export function pageBridgeScript(): Promise<string> {
  bundle ??= (async () => {
    const output = (await build({
      configFile: false,
      logLevel: 'silent',
      build: {
        write: false,
        minify: false,
        lib: { entry: path.resolve('test/support/page-bridge.ts'), formats: ['iife'], name: 'SoftphonePageBridge' },
      },
    })) as Rolldown.RolldownOutput[] | Rolldown.RolldownOutput;
    const first = Array.isArray(output) ? output[0]! : output;
    const chunk = first.output.find((o) => o.type === 'chunk');
    if (!chunk || chunk.type !== 'chunk') throw new Error('page bridge bundle produced no code');
    return chunk.code;
  })();
  return bundle;
}
