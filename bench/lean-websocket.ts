/**
 * The smallest WebSocket client that can load a server: the benchmark's
 * clients use it because the `ws` package's client (Node's http client, a
 * SHA-1 check, extension negotiation) costs about three times the CPU per
 * connection that a `ws` server spends accepting it, which on a two-core
 * machine makes the load generator, not the server, what a join time measures.
 *
 * It speaks RFC 6455 as far as a benchmark needs: the upgrade request (with
 * an optional subprotocol; the response's accept hash is not checked), text
 * and binary messages (fragmented ones too), ping → pong, close. Frames it
 * sends are masked, as the RFC requires, with an all-zero key: the server
 * still unmasks every byte, so its work is that of any client; ours just
 * skips the XOR. It offers no extensions (no permessage-deflate).
 *
 * Received message payloads may be views into the socket's chunk: use them
 * before returning from the 'message' listener, or copy them.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';

const enum Opcode {
  Continuation = 0x0,
  Text = 0x1,
  Binary = 0x2,
  Close = 0x8,
  Ping = 0x9,
  Pong = 0xa,
}

const HEADER_END = Buffer.from('\r\n\r\n');

export interface LeanWebSocketEvents {
  open: [];
  message: [data: Buffer];
  error: [error: Error];
  close: [code: number];
}

export class LeanWebSocket extends EventEmitter<LeanWebSocketEvents> {
  private readonly socket: Socket;
  private handshakeDone = false;
  /** Bytes of an incomplete frame (or upgrade response), and how many are needed before parsing again. */
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private needed = 0;
  private fragments: Buffer[] = [];
  private closed = false;
  private closeCode = 1006;

  constructor(address: string, protocol?: string) {
    super();
    const url = new URL(address);
    if (url.protocol !== 'ws:') throw new Error(`LeanWebSocket speaks ws:// only, not ${url.protocol}`);
    const port = Number(url.port || 80);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    this.socket = connect({ host, port, noDelay: true });
    this.socket.write(
      `GET ${url.pathname}${url.search} HTTP/1.1\r\n` +
        `Host: ${url.host}\r\n` +
        'Upgrade: websocket\r\n' +
        'Connection: Upgrade\r\n' +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
        'Sec-WebSocket-Version: 13\r\n' +
        (protocol ? `Sec-WebSocket-Protocol: ${protocol}\r\n` : '') +
        '\r\n',
    );
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (error) => this.emit('error', error));
    this.socket.on('close', () => {
      this.closed = true;
      this.emit('close', this.closeCode);
    });
  }

  /** Bytes read from the TCP socket so far: the upgrade response, frame headers and payloads. */
  get bytesRead(): number {
    return this.socket.bytesRead;
  }

  get isOpen(): boolean {
    return this.handshakeDone && !this.closed;
  }

  /** Sends a text frame (binary with `binary`). */
  send(data: Buffer | string, binary = false): void {
    if (this.closed) return;
    const payload = typeof data === 'string' ? Buffer.from(data) : data;
    this.socket.write(frame(binary ? Opcode.Binary : Opcode.Text, payload));
  }

  close(code = 1000): void {
    if (this.closed) return;
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code);
    this.socket.end(frame(Opcode.Close, payload));
  }

  terminate(): void {
    this.socket.destroy();
  }

  private fail(message: string): void {
    this.emit('error', new Error(message));
    this.socket.destroy();
  }

  private keep(data: Buffer, needed: number): void {
    this.pending = [data];
    this.pendingLength = data.length;
    this.needed = needed;
  }

  private onData(chunk: Buffer): void {
    let data = chunk;
    if (this.pending.length > 0) {
      this.pending.push(chunk);
      this.pendingLength += chunk.length;
      // A large frame arrives in many chunks: join them once, when it is complete.
      if (this.pendingLength < this.needed) return;
      data = Buffer.concat(this.pending, this.pendingLength);
      this.pending = [];
      this.pendingLength = 0;
    }
    if (!this.handshakeDone) {
      const end = data.indexOf(HEADER_END);
      if (end < 0) {
        if (data.length > 16 * 1024) return this.fail('Upgrade response headers too long');
        this.keep(data, 0);
        return;
      }
      const statusLine = data.toString('latin1', 0, data.indexOf('\r\n'));
      if (!/^HTTP\/1\.1 101 /.test(statusLine)) return this.fail(`Upgrade refused: ${statusLine}`);
      this.handshakeDone = true;
      this.emit('open');
      data = data.subarray(end + HEADER_END.length);
    }
    let offset = 0;
    let needed = 0;
    while (!this.closed && data.length - offset >= 2) {
      const first = data[offset]!;
      const second = data[offset + 1]!;
      let length = second & 0x7f;
      let header = 2;
      if (length === 126) {
        if (data.length - offset < 4) break;
        length = data.readUInt16BE(offset + 2);
        header = 4;
      } else if (length === 127) {
        if (data.length - offset < 10) break;
        length = Number(data.readBigUInt64BE(offset + 2));
        header = 10;
      }
      const masked = (second & 0x80) !== 0;
      if (masked) header += 4;
      if (data.length - offset < header + length) {
        needed = header + length;
        break;
      }
      let payload = data.subarray(offset + header, offset + header + length);
      if (masked) {
        const key = data.subarray(offset + header - 4, offset + header);
        payload = Buffer.from(payload);
        for (let i = 0; i < payload.length; i++) payload[i]! ^= key[i & 3]!;
      }
      offset += header + length;
      this.onFrame(first & 0x0f, (first & 0x80) !== 0, payload);
    }
    if (offset < data.length && !this.closed) this.keep(data.subarray(offset), needed);
  }

  private onFrame(opcode: number, fin: boolean, payload: Buffer): void {
    switch (opcode) {
      case Opcode.Text:
      case Opcode.Binary:
      case Opcode.Continuation:
        if (!fin) {
          // Fragments are views into chunks that get reused: keep copies.
          this.fragments.push(Buffer.from(payload));
          return;
        }
        if (this.fragments.length > 0) {
          this.fragments.push(payload);
          payload = Buffer.concat(this.fragments);
          this.fragments = [];
        }
        this.emit('message', payload);
        return;
      case Opcode.Ping:
        this.socket.write(frame(Opcode.Pong, payload));
        return;
      case Opcode.Close:
        this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        this.close(this.closeCode);
        return;
      default:
        return; // pong, reserved
    }
  }
}

/** A client frame: FIN set, masked with a zero key (so the payload is copied as is). */
function frame(opcode: Opcode, payload: Buffer): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const header = 2 + lengthBytes + 4;
  const out = Buffer.allocUnsafe(header + length);
  out[0] = 0x80 | opcode;
  if (lengthBytes === 0) {
    out[1] = 0x80 | length;
  } else if (lengthBytes === 2) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(length, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(length), 2);
  }
  out.writeUInt32BE(0, header - 4);
  payload.copy(out, header);
  return out;
}
