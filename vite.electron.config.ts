/**
 * Builds the Electron bundles, all CommonJS:
 *   main/electron/main.ts → dist/main/main.cjs       (Node in Electron's main process)
 *   ivr/ivr-worker.ts     → dist/main/ivr-worker.cjs (the demo IVR's utility process, beside main)
 *   preload/preload.ts    → dist/preload/preload.cjs (sandboxed renderer preload)
 *
 * They need opposite externals, so each is its own Vite environment, built
 * one after the other by `buildApp`:
 * - main leaves `electron`, Node's built-ins and package.json dependencies to
 *   `require` at run time (electron-builder ships the dependencies);
 * - the sandboxed preload can `require` nothing but `electron` (and a few
 *   built-ins), so everything else it uses is bundled in: the channel names
 *   and the bridge, a few KB (no schemas: main validates).
 *   Sandboxed preloads cannot be ES modules either, hence CommonJS for both.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { defineConfig, type EnvironmentOptions, type Plugin } from 'vite';
import packageJson from './package.json' with { type: 'json' };

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const dependencies = Object.keys(packageJson.dependencies);

/** Also matches deep imports such as `pino/file`. */
function isListedOrSubpath(names: readonly string[]): (id: string) => boolean {
  return (id) => names.some((name) => id === name || id.startsWith(`${name}/`));
}

function commonJsBundle(options: {
  entry: string;
  outDir: string;
  fileName: string;
  /** Default true; false to add to a folder another bundle already wrote. */
  emptyOutDir?: boolean;
  /** Chromium (preload) or Node (main) syntax level. */
  target: string;
  external: (id: string) => boolean;
}): EnvironmentOptions {
  return {
    consumer: 'server',
    // Bundle whatever is not external, dependencies included (Vite's server
    // environments would otherwise leave every dependency to run-time require).
    resolve: { noExternal: true },
    build: {
      outDir: options.outDir,
      emptyOutDir: options.emptyOutDir ?? true,
      target: options.target,
      minify: false,
      sourcemap: false,
      copyPublicDir: false,
      rolldownOptions: {
        input: options.entry,
        external: options.external,
        output: {
          format: 'cjs',
          entryFileNames: options.fileName,
          // One file per bundle: the sandboxed preload cannot require a chunk.
          codeSplitting: false,
        },
      },
    },
  };
}

/**
 * The demo IVR worker (started by the instance that hosts the embedded
 * server) reads its spoken prompts from files; ship them as
 * dist/main/ivr-prompts/*.wav, where ivr/prompts.ts looks when bundled.
 */
function ivrPrompts(): Plugin {
  return {
    name: 'ivr-prompts',
    applyToEnvironment: (environment) => environment.name === 'electronIvr',
    generateBundle() {
      for (const file of readdirSync('ivr/prompts').filter((name) => name.endsWith('.wav'))) {
        this.emitFile({ type: 'asset', fileName: `ivr-prompts/${file}`, source: readFileSync(`ivr/prompts/${file}`) });
      }
    },
  };
}

export default defineConfig({
  // The renderer has its own config; nothing here is served or uses public/.
  publicDir: false,
  plugins: [ivrPrompts()],
  environments: {
    electronMain: commonJsBundle({
      entry: 'main/electron/main.ts',
      outDir: 'dist/main',
      fileName: 'main.cjs',
      target: 'node20',
      external: isListedOrSubpath(['electron', ...nodeBuiltins, ...dependencies]),
    }),
    // Same folder and externals as main: the main process finds it beside main.cjs.
    electronIvr: commonJsBundle({
      entry: 'ivr/ivr-worker.ts',
      outDir: 'dist/main',
      fileName: 'ivr-worker.cjs',
      emptyOutDir: false,
      target: 'node20',
      external: isListedOrSubpath([...nodeBuiltins, ...dependencies]),
    }),
    electronPreload: commonJsBundle({
      entry: 'preload/preload.ts',
      outDir: 'dist/preload',
      fileName: 'preload.cjs',
      target: 'chrome120',
      external: isListedOrSubpath(['electron']),
    }),
  },
  builder: {
    async buildApp(builder) {
      // Main first: it empties dist/main, which the IVR worker then joins.
      await builder.build(builder.environments.electronMain!);
      await builder.build(builder.environments.electronIvr!);
      await builder.build(builder.environments.electronPreload!);
    },
  },
});
