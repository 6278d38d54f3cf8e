/**
 * Small hand-written signaling servers for tests: real `ws` servers on
 * 127.0.0.1 (optionally wss:// with a test certificate) that run the sign-in
 * handshake of common/signaling-protocol.ts as a test scripts it, and record
 * what clients sent. For testing clients before (and apart from) the real server.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { keyProof, randomChallenge } from '../../common/local-key.ts';
import { parseClientMessage, type ClientMessage, type UsernameMessage } from '../../common/signaling-protocol.ts';

export interface ListeningServer {
  url: string;
  port: number;
  connections(): number;
  close(): Promise<void>;
}

export interface ListenOptions {
  autoPong?: boolean;
  /** Serve wss:// with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
  port?: number;
}

/** A WebSocket server that offers the `json` subprotocol and hands each connection to `onConnection`. */
export async function listen(onConnection: (socket: WebSocket) => void, options: ListenOptions = {}): Promise<ListeningServer> {
  const https = options.tls ? createHttpsServer(options.tls) : null;
  const wss = new WebSocketServer({
    ...(https ? { server: https } : { host: '127.0.0.1', port: options.port ?? 0 }),
    autoPong: options.autoPong ?? true,
    handleProtocols: (protocols) => (protocols.has('json') ? 'json' : false),
  });
  if (https) {
    https.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => https.listen(options.port ?? 0, '127.0.0.1', resolve));
  } else {
    await once(wss, 'listening');
  }
  let connections = 0;
  wss.on('connection', (socket) => {
    connections++;
    socket.on('error', () => {});
    onConnection(socket);
  });
  const { port } = (https ?? wss).address() as { port: number };
  return {
    url: `${https ? 'wss' : 'ws'}://127.0.0.1:${port}`,
    port,
    connections: () => connections,
    async close() {
      for (const socket of wss.clients) socket.terminate();
      await new Promise((resolve) => wss.close(resolve));
      if (https) {
        https.closeAllConnections();
        await new Promise((resolve) => https.close(resolve));
      }
    },
  };
}

export interface SignInScript {
  /** The key the server holds; with it, `id` carries a challenge and `welcome` a proof. */
  key?: Buffer;
  /** Send a challenge on `id` (default: when the server has a key). */
  challenge?: boolean;
  /** The proof in `welcome`: made with the server's key (default), with another key, or left out. */
  proof?: 'valid' | 'wrong' | 'missing';
  /** What to answer `username` with; the default welcomes and sends a full list. */
  reply?: (socket: WebSocket, username: UsernameMessage, welcome: (extra?: object) => void) => void;
}

export const sendJson = (socket: WebSocket, message: object) => socket.send(JSON.stringify(message));

/** The handshake as scripted, and what the clients sent (parsed and validated). */
export function signInScript(script: SignInScript = {}) {
  const usernames: UsernameMessage[] = [];
  const challenges: (string | undefined)[] = [];
  const sockets: WebSocket[] = [];
  const received: ClientMessage[] = [];
  const onConnection = (socket: WebSocket) => {
    sockets.push(socket);
    const challenge = (script.challenge ?? script.key !== undefined) ? randomChallenge() : undefined;
    challenges.push(challenge);
    sendJson(socket, { type: 'id', id: sockets.length, ...(challenge ? { challenge } : {}) });
    socket.on('message', (data) => {
      const parsed = parseClientMessage(data.toString());
      if (!parsed.ok) return;
      received.push(parsed.message);
      if (parsed.message.type !== 'username') return;
      const username = parsed.message;
      usernames.push(username);
      const welcome = (extra: object = {}) => {
        let proof: string | undefined;
        if (username.auth?.kind === 'key' && challenge && script.proof !== 'missing') {
          const key = script.proof === 'wrong' ? randomBytes(32) : script.key!;
          proof = keyProof(key, 'server', challenge, username.auth.nonce);
        }
        sendJson(socket, { type: 'welcome', name: username.name, ...(proof ? { proof } : {}), ...extra });
      };
      if (script.reply) {
        script.reply(socket, username, welcome);
      } else {
        welcome();
        sendJson(socket, { type: 'userlist', users: [username.name] });
      }
    });
  };
  return { onConnection, usernames, challenges, sockets, received };
}

/** Whether the `openssl` command is there to make test certificates. */
export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A self-signed certificate (PEM) for `subjectAltName`, e.g. "IP:127.0.0.1,DNS:localhost", made in `dir`. */
export function selfSignedCertificate(dir: string, name: string, subjectAltName: string): { key: string; cert: string } {
  const keyFile = path.join(dir, `${name}.key`);
  const certFile = path.join(dir, `${name}.crt`);
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=softphone test',
      '-addext', `subjectAltName=${subjectAltName}`,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
}
