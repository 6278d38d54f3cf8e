/**
 * Serves the built renderer under the app's own origin, `app://softphone`.
 *
 * Electron's `protocol.handle` hands us a fetch Request and wants a fetch
 * Response; this is that function, without Electron, so it is tested in plain
 * Node and behind an HTTP server in Chromium. It answers files inside the
 * renderer folder and nothing else: any other host, any path that would leave
 * the folder (however it is spelled: `..`, `%2e%2e`, `%2f`, `%5c`, NUL), a
 * folder, or a missing file is a 404; a method other than GET or HEAD a 405.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'softphone';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The one page the app shows; IPC, navigation and permissions are checked against it. */
export const APP_PAGE_URL = `${APP_ORIGIN}/index.html`;

/** By extension; what a build of the renderer can contain. Anything else is served as opaque bytes. */
const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.webm': 'video/webm',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeOf(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file inside `rootDir` that `url` names, or null when it names none
 * (another scheme or host, or a path that is not a plain descent into the folder).
 */
export function resolveAppFile(rootDir: string, url: string): string | null {
  if (!URL.canParse(url)) return null;
  const parsed = new URL(url);
  // Chromium lower-cases the host of a standard scheme; Node keeps it as written.
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host.toLowerCase() !== APP_HOST) return null;
  // The URL parser has already removed `.` and `..` segments (also as %2e);
  // decoding may make new ones, or separators, out of %2e, %2f and %5c.
  const segments: string[] = [];
  for (const raw of parsed.pathname.split('/').slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '' || segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) return null;
    segments.push(segment);
  }
  if (segments.length === 0) return null;
  const root = path.resolve(rootDir);
  const file = path.resolve(root, ...segments);
  // Belt and braces: whatever the platform makes of a segment (a drive letter, say), stay inside.
  return file.startsWith(root + path.sep) ? file : null;
}

const notFound = () => new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/** The handler for `protocol.handle(APP_SCHEME, …)`: the renderer's files and nothing else. */
export function createAppFileResponder(rootDir: string, onRefused?: (url: string, status: number) => void) {
  return async (request: Request): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      onRefused?.(request.url, 405);
      return new Response('Method not allowed', { status: 405, headers: { allow: 'GET, HEAD' } });
    }
    const file = resolveAppFile(rootDir, request.url);
    if (file === null || !(await stat(file).then((s) => s.isFile(), () => false))) {
      onRefused?.(request.url, 404);
      return notFound();
    }
    const body = await readFile(file);
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: {
        'content-type': mimeTypeOf(file),
        'content-length': String(body.length),
        'x-content-type-options': 'nosniff',
      },
    });
  };
}
