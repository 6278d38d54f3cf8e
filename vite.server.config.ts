/**
 * Builds the stand-alone signaling server to plain JavaScript:
 *   server/cli.ts → dist/server/cli.mjs   (an ES module for Node 20+)
 *
 * Like Electron's main bundle, it leaves Node's built-ins and package.json
 * dependencies to be imported at run time (a deployment runs `npm ci
 * --omit=dev` beside it) and bundles the project's own TypeScript, so
 * running it needs no TypeScript loader: `node dist/server/cli.mjs`. Zod is
 * the exception, bundled: the part the protocol uses, in one file, instead
 * of its whole package as some hundred modules (about 4 MB less RSS for a
 * server at rest, which is most of a server's memory with 1,000 clients).
 */
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import packageJson from './package.json' with { type: 'json' };

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const dependencies = Object.keys(packageJson.dependencies);

/** Also matches deep imports such as `pino/file`. */
function isExternal(id: string): boolean {
  if (id === 'zod' || id.startsWith('zod/')) return false;
  return [...nodeBuiltins, ...dependencies].some((name) => id === name || id.startsWith(`${name}/`));
}

export default defineConfig({
  publicDir: false,
  // `npm run server` prints exactly one line on stdout (the URL): the build stays quiet unless something is wrong.
  logLevel: 'warn',
  environments: {
    server: {
      consumer: 'server',
      resolve: { noExternal: true },
      build: {
        outDir: 'dist/server',
        emptyOutDir: true,
        target: 'node20',
        minify: false,
        sourcemap: false,
        copyPublicDir: false,
        rolldownOptions: {
          input: 'server/cli.ts',
          external: isExternal,
          output: {
            format: 'es',
            entryFileNames: 'cli.mjs',
            // Redis support is its own chunk, loaded only with --redis: ioredis alone costs ~25 MB of RSS.
            chunkFileNames: '[name].mjs',
          },
        },
      },
    },
  },
  builder: {
    async buildApp(builder) {
      await builder.build(builder.environments.server!);
    },
  },
});
