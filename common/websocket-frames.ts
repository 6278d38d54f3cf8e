/** The text of a WebSocket frame as `ws` hands it over (one Buffer, fragments, or an ArrayBuffer). Node only. */
import type { RawData } from 'ws';

export function frameText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
