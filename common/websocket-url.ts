/** The ws:// or wss:// address of a server listening on `host` and `port` (IPv6 hosts in brackets). */
export function websocketUrl(host: string, port: number, tls = false): string {
  const bracketed = host.includes(':') ? `[${host}]` : host;
  return `${tls ? 'wss' : 'ws'}://${bracketed}:${port}`;
}
