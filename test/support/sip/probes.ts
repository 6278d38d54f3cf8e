/**
 * Readiness checks of the chain's servers: each asks the server something
 * it only answers once it really works (a TCP connect alone would say yes
 * while Kamailio's workers are still starting).
 */
import { createSocket } from 'node:dgram';
import WebSocket from 'ws';

/**
 * Sends one UDP datagram to 127.0.0.1:port from a fresh socket and tells
 * whether an answer accepted by `isAnswer` came back in time. `message` gets
 * the local port (a SIP request names it in its Via).
 */
export function udpAnswers(
  port: number,
  message: (localPort: number) => string,
  isAnswer: (answer: string) => boolean,
  timeoutMs = 500,
): Promise<boolean> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('message', (answer) => done(isAnswer(answer.toString())));
    socket.on('error', () => done(false));
    socket.bind(0, '127.0.0.1', () => socket.send(message(socket.address().port), port, '127.0.0.1'));
  });
}

/** Whether a WebSocket handshake with this subprotocol succeeds (and the server picks it). */
export function webSocketOpens(url: string, protocol: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, protocol);
    socket.once('open', () => {
      resolve(socket.protocol === protocol);
      socket.close();
    });
    socket.once('error', () => resolve(false));
  });
}
