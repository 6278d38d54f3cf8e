/**
 * The least SIP-over-WebSocket UA (RFC 7118) that can prove the chain's
 * WebSocket side without the softphone: one message per text frame,
 * subprotocol "sip", digest auth computed here (RFC 2617 MD5, with or
 * without qop=auth), and the dialog state a UAC needs for ACK, INFO and BYE.
 * Not a SIP stack: no retransmissions (WebSocket is reliable), one dialog.
 */
import { createHash, randomBytes } from 'node:crypto';
import WebSocket from 'ws';

export interface SipMessage {
  /** Status code for responses, 0 for requests. */
  status: number;
  method: string;
  startLine: string;
  headers: Array<[string, string]>;
  body: string;
  header(name: string): string | undefined;
  all(name: string): string[];
}

export function parseSipMessage(text: string): SipMessage {
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + 4);
  const [startLine, ...lines] = head.split('\r\n');
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
  });
  const response = /^SIP\/2\.0 (\d{3})/.exec(startLine);
  const all = (name: string) => headers.filter(([key]) => key === name.toLowerCase()).map(([, value]) => value);
  const cseq = all('cseq')[0] ?? '';
  return {
    status: response ? Number(response[1]) : 0,
    method: response ? (cseq.split(/\s+/)[1] ?? '') : startLine.split(' ')[0],
    startLine,
    headers,
    body,
    header: (name) => all(name)[0],
    all,
  };
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const token = () => randomBytes(8).toString('hex');

/** The Authorization (or Proxy-Authorization) value answering a WWW-/Proxy-Authenticate challenge. */
export function digestAuthorization(
  challenge: string,
  credentials: { user: string; password: string },
  method: string,
  uri: string,
): string {
  const param = (name: string) => new RegExp(`${name}="?([^",]+)"?`, 'i').exec(challenge)?.[1];
  const realm = param('realm') ?? '';
  const nonce = param('nonce') ?? '';
  const ha1 = md5(`${credentials.user}:${realm}:${credentials.password}`);
  const ha2 = md5(`${method}:${uri}`);
  const fields = [`username="${credentials.user}"`, `realm="${realm}"`, `nonce="${nonce}"`, `uri="${uri}"`, 'algorithm=MD5'];
  const qop = param('qop');
  if (qop && qop.split(/\s*,\s*/).includes('auth')) {
    const cnonce = token();
    const nc = '00000001';
    fields.push(`response="${md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`)}"`, 'qop=auth', `nc=${nc}`, `cnonce="${cnonce}"`);
  } else {
    fields.push(`response="${md5(`${ha1}:${nonce}:${ha2}`)}"`);
  }
  const opaque = param('opaque');
  if (opaque) fields.push(`opaque="${opaque}"`);
  return `Digest ${fields.join(', ')}`;
}

export interface SipBody {
  type: string;
  text: string;
}

interface OutgoingRequest {
  method: string;
  uri: string;
  headers?: string[];
  body?: SipBody;
  /** For ACK: the CSeq number of the INVITE it acknowledges. */
  cseq?: number;
}

/** A dialog as one side sees it (RFC 3261 12.1): From/To as this side sends them. */
export interface Dialog {
  callId: string;
  /** This side's address with its tag (From of requests it sends). */
  local: string;
  /** The other side's address with its tag (To of requests it sends). */
  remote: string;
  /** Route headers for requests in the dialog, in order. */
  routes: string[];
  /** Request-URI: the other side's Contact. */
  target: string;
}

export class RawSipClient {
  private readonly host = `${token()}.invalid`;
  readonly aor: string;
  readonly contact: string;
  private readonly received: SipMessage[] = [];
  private waiters: Array<() => void> = [];
  private cseq = 1;
  /** Registrations and the call this client starts each have a Call-ID of their own. */
  private readonly registerCallId = `${token()}@${this.host}`;
  private readonly callId = `${token()}@${this.host}`;
  private readonly fromTag = token();

  private constructor(
    private readonly socket: WebSocket,
    private readonly credentials: { user: string; password: string; domain: string },
  ) {
    this.aor = `sip:${credentials.user}@${credentials.domain}`;
    this.contact = `<sip:${credentials.user}@${this.host};transport=ws>`;
    socket.on('message', (data) => {
      this.received.push(parseSipMessage(data.toString()));
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async connect(url: string, credentials: { user: string; password: string; domain: string }): Promise<RawSipClient> {
    const socket = new WebSocket(url, 'sip');
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    if (socket.protocol !== 'sip') throw new Error(`server chose subprotocol "${socket.protocol}", not "sip"`);
    return new RawSipClient(socket, credentials);
  }

  /** Sends a request outside or (with `dialog`) inside a dialog; returns its Via branch and CSeq. */
  send(request: OutgoingRequest, dialog?: Dialog): { branch: string; cseq: number } {
    const branch = `z9hG4bK${token()}`;
    const cseq = request.cseq ?? this.cseq++;
    const registering = request.method === 'REGISTER';
    const lines = [
      `${request.method} ${dialog?.target ?? request.uri} SIP/2.0`,
      `Via: SIP/2.0/WS ${this.host};branch=${branch}`,
      'Max-Forwards: 70',
      `From: ${dialog?.local ?? `<${this.aor}>;tag=${this.fromTag}`}`,
      `To: ${dialog?.remote ?? `<${registering ? this.aor : request.uri}>`}`,
      `Call-ID: ${dialog?.callId ?? (registering ? this.registerCallId : this.callId)}`,
      `CSeq: ${cseq} ${request.method}`,
      `Contact: ${this.contact}`,
      ...(dialog?.routes.map((route) => `Route: ${route}`) ?? []),
      ...(request.headers ?? []),
      ...contentLines(request.body),
    ];
    this.socket.send(lines.join('\r\n'));
    return { branch, cseq };
  }

  /** Answers a request received, as its UAS; `toTag` makes (or keeps) the dialog. */
  reply(request: SipMessage, status: number, reason: string, options: { toTag?: string; body?: SipBody } = {}): void {
    const to = request.header('to') ?? '';
    const lines = [
      `SIP/2.0 ${status} ${reason}`,
      ...request.all('via').map((via) => `Via: ${via}`),
      ...request.all('record-route').map((route) => `Record-Route: ${route}`),
      `From: ${request.header('from')}`,
      `To: ${options.toTag && !to.includes(';tag=') ? `${to};tag=${options.toTag}` : to}`,
      `Call-ID: ${request.header('call-id')}`,
      `CSeq: ${request.header('cseq')}`,
      `Contact: ${this.contact}`,
      ...contentLines(options.body),
    ];
    this.socket.send(lines.join('\r\n'));
  }

  /** The next final (or, with `provisional`, any) response to the request sent with this branch. */
  response(branch: string, timeoutMs = 15_000, provisional = false): Promise<SipMessage> {
    return this.next(
      (m) => m.status > 0 && (m.header('via') ?? '').includes(branch) && (provisional || m.status >= 200),
      `a response to ${branch}`,
      timeoutMs,
    );
  }

  /** The next request of this method received. */
  request(method: string, timeoutMs = 15_000): Promise<SipMessage> {
    return this.next((m) => m.status === 0 && m.method === method, `a ${method}`, timeoutMs);
  }

  private async next(match: (message: SipMessage) => boolean, what: string, timeoutMs: number): Promise<SipMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.received.findIndex(match);
      if (index >= 0) return this.received.splice(index, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /**
   * Sends a request and answers one digest challenge (401 or 407) with the
   * client's credentials, as a UA does: the challenged request is resent
   * with a new CSeq. Resolves with the final response.
   */
  async requestWithAuth(request: OutgoingRequest): Promise<{ response: SipMessage; branch: string; cseq: number }> {
    let sent = this.send(request);
    let response = await this.response(sent.branch);
    if (response.status === 401 || response.status === 407) {
      // A non-2xx final response to INVITE is acknowledged within its transaction.
      if (request.method === 'INVITE') this.ackFailure(request.uri, sent, response);
      const [challengeHeader, authHeader] =
        response.status === 401 ? ['www-authenticate', 'Authorization'] : ['proxy-authenticate', 'Proxy-Authorization'];
      const authorization = digestAuthorization(response.header(challengeHeader) ?? '', this.credentials, request.method, request.uri);
      sent = this.send({ ...request, headers: [...(request.headers ?? []), `${authHeader}: ${authorization}`] });
      response = await this.response(sent.branch);
    }
    return { response, ...sent };
  }

  private ackFailure(uri: string, { branch, cseq }: { branch: string; cseq: number }, response: SipMessage): void {
    const lines = [
      `ACK ${uri} SIP/2.0`,
      `Via: SIP/2.0/WS ${this.host};branch=${branch}`,
      'Max-Forwards: 70',
      `From: <${this.aor}>;tag=${this.fromTag}`,
      `To: ${response.header('to')}`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${cseq} ACK`,
      ...contentLines(undefined),
    ];
    this.socket.send(lines.join('\r\n'));
  }

  close(): void {
    this.socket.close();
  }
}

function contentLines(body: SipBody | undefined): string[] {
  return [
    ...(body ? [`Content-Type: ${body.type}`] : []),
    `Content-Length: ${Buffer.byteLength(body?.text ?? '')}`,
    '',
    body?.text ?? '',
  ];
}

const contactUri = (message: SipMessage) => /<([^>]+)>/.exec(message.header('contact') ?? '')?.[1] ?? '';
const recordRoutes = (message: SipMessage) =>
  message.all('record-route').flatMap((value) => value.split(/,(?=\s*<)/).map((route) => route.trim()));

/** The dialog a 2xx to its INVITE sets up, for the caller. */
export function callerDialog(response: SipMessage): Dialog {
  return {
    callId: response.header('call-id') ?? '',
    local: response.header('from') ?? '',
    remote: response.header('to') ?? '',
    routes: recordRoutes(response).reverse(),
    target: contactUri(response),
  };
}

/** The dialog an INVITE received sets up once answered with `toTag`, for the callee. */
export function calleeDialog(invite: SipMessage, toTag: string): Dialog {
  return {
    callId: invite.header('call-id') ?? '',
    local: `${invite.header('to')};tag=${toTag}`,
    remote: invite.header('from') ?? '',
    routes: recordRoutes(invite),
    target: contactUri(invite),
  };
}

export const newTag = token;
