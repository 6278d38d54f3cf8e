/**
 * What the server answers to plain HTTP: GET /healthz for load balancers and
 * orchestrators, GET /metrics for Prometheus, and 426 Upgrade Required for
 * everything else (this is a WebSocket server).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SUBPROTOCOL } from '../common/signaling-protocol.ts';

export interface HttpEndpointSources {
  /** True once close() began: health turns 503 so traffic drains elsewhere. */
  closing(): boolean;
  health(): Record<string, unknown>;
  metrics(): string;
}

export function createHttpHandler(sources: HttpEndpointSources): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const readOnly = request.method === 'GET' || request.method === 'HEAD';
    if (readOnly && path === '/healthz') {
      const closing = sources.closing();
      const body = JSON.stringify({ status: closing ? 'closing' : 'ok', ...sources.health() });
      response.writeHead(closing ? 503 : 200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
      return;
    }
    if (readOnly && path === '/metrics') {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : sources.metrics());
      return;
    }
    response.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' });
    response.end(`This is a WebSocket signaling server; connect with the "${SUBPROTOCOL}" subprotocol.\n`);
  };
}
