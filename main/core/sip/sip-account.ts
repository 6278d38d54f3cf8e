/**
 * One SIP account: a SIP.js user agent on a WebSocket, its registration, and
 * its calls, translated to and from the call vocabulary.
 *
 * SIP.js does the SIP (transactions, dialogs, digest authentication); media
 * stays in the renderer through RendererDescriptionHandler. The account keeps
 * itself registered: a lost connection is retried with jittered backoff, and
 * the state (registering, registered, failed with the reason in words) is
 * reported as it changes.
 */
import {
  Invitation,
  Inviter,
  Registerer,
  RegistererState,
  SessionState,
  UserAgent,
  type Session,
  type SessionDescriptionHandler,
} from 'sip.js';
import type { IncomingResponse } from 'sip.js/lib/core/index.js';
import { backoffDelayMs, type BackoffOptions } from '../../../common/backoff.ts';
import type { AccountId, CallCommand, CallEndCause, CallEvent } from '../../../common/call-messages.ts';
import type { Logger } from '../../../common/logger.ts';
import type { SipAccountState, SipKeyMethod } from '../../../common/sip-account-schema.ts';
import type { CallProvider, CallSink } from '../calls/call-provider.ts';
import { RendererDescriptionHandler } from './renderer-description-handler.ts';
import { dtmfRelayBody, keyOfInfoBody, sipTarget } from './sip-dial.ts';
import { sdpFromSip } from './sip-sdp.ts';
import { callEndOfResponse, declineStatus, describeRegistrationFailure } from './sip-words.ts';
import { SipTransportError, WsSipTransport, type WsSipTransportOptions } from './ws-sip-transport.ts';
import { connectionProblemWords } from '../../../common/connection-problem.ts';
import { english, type Translate } from '../../../common/i18n/index.ts';

export interface SipAccountConfig {
  id: AccountId;
  /** sip:alice@pbx.example.org */
  address: string;
  authUser: string | null;
  password: string | null;
  websocketUrl: string;
  outboundProxy: string | null;
  displayName: string | null;
  keys: SipKeyMethod;
}

export interface SipAccountOptions {
  sink: CallSink;
  onState(state: SipAccountState): void;
  newCallId(): string;
  log: Logger;
  /** Extra trust for wss:// (tests: a self-signed certificate). */
  ca?: string | Buffer;
  /** Registration interval asked of the registrar, in seconds. */
  registerExpiresSeconds?: number;
  reconnectBackoff?: BackoffOptions;
  /** The words in the app's language, for the registration state (English when not given). */
  translate?: () => Translate;
}

interface SipCall {
  readonly id: string;
  readonly session: Inviter | Invitation;
  readonly descriptions: RendererDescriptionHandler;
  /** The renderer ended it (or it was reported ended): no more events. */
  done: boolean;
  /** Why it ended, when the network said so before the session terminated. */
  end: { cause: CallEndCause; message?: string } | null;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 30_000, floorMs: 500 };
const SDP = 'application/sdp';

export class SipAccount implements CallProvider {
  readonly account: AccountId;
  private readonly userAgent: UserAgent;
  private readonly registerer: Registerer;
  private readonly calls = new Map<string, SipCall>();
  /** Descriptions for sessions SIP.js is about to ask for one (its factory gets only the session). */
  private readonly pendingDescriptions = new WeakMap<Session, RendererDescriptionHandler>();
  private state: SipAccountState;
  private stopped = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: SipAccountConfig,
    private readonly options: SipAccountOptions,
  ) {
    this.account = config.id;
    // Off until start(), so that start's "registering" is reported (report() drops a state it already has).
    this.state = { id: config.id, status: 'off', message: null };
    const uri = UserAgent.makeURI(config.address);
    if (!uri) throw new Error(`Not a SIP address: ${config.address}`);
    const transportOptions: WsSipTransportOptions = { server: config.websocketUrl, ca: options.ca };
    this.userAgent = new UserAgent({
      uri,
      displayName: config.displayName ?? undefined,
      authorizationUsername: config.authUser ?? uri.user,
      authorizationPassword: config.password ?? undefined,
      transportConstructor: WsSipTransport,
      transportOptions,
      preloadedRouteSet: config.outboundProxy ? [`<${config.outboundProxy};lr>`] : undefined,
      // Reconnecting is ours (SIP.js's default is not to): with backoff, forever, and a state the user sees.
      logBuiltinEnabled: false,
      // SIP.js's own trace shows at SOFTPHONE_LOG_LEVEL=debug. Its "errors" are the network's (a request
      // that could not be sent while the server was away): warnings for us, told to the user as the account's state.
      logConnector: (level, category, _label, content) => {
        const write = level === 'error' || level === 'warn' ? options.log.warn : options.log.debug;
        write.call(options.log, { category }, content);
      },
      userAgentString: 'Softphone',
      sessionDescriptionHandlerFactory: (session) => this.descriptionHandlerFor(session),
      delegate: {
        onInvite: (invitation) => this.receiveInvitation(invitation),
        onDisconnect: (error) => this.lostConnection(error),
      },
    });
    this.registerer = new Registerer(this.userAgent, { expires: options.registerExpiresSeconds ?? 300 });
  }

  get registration(): SipAccountState {
    return this.state;
  }

  async start(): Promise<void> {
    this.report('registering', null);
    await this.connectAndRegister();
  }

  /** Try again now (the network came back, the computer woke up), unless registered. */
  retryNow(): void {
    if (this.stopped || this.state.status === 'registered') return;
    this.attempt = 0;
    this.scheduleRetry(0);
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const call of this.calls.values()) this.hangUpOnWire(call, 'hangup');
    if (this.userAgent.isConnected() && this.registerer.state === RegistererState.Registered) {
      await this.registerer.unregister().catch(() => {});
    }
    await this.userAgent.stop().catch(() => {});
    this.report('off', null);
  }

  async handle(command: CallCommand): Promise<void> {
    if (command.kind === 'place') return this.place(command);
    const call = this.calls.get(command.callId);
    if (!call) throw new Error(`No call with id ${command.callId}`);
    switch (command.kind) {
      case 'ringing':
        if (call.session instanceof Invitation && call.session.state === SessionState.Initial) await call.session.progress();
        return;
      case 'answer':
        call.descriptions.supply(command.answer.sdp);
        if (call.session instanceof Invitation && call.session.state === SessionState.Initial) await call.session.accept();
        return;
      case 'candidate':
        // SIP does not trickle: the candidates went inside the offer or answer.
        return;
      case 'keys':
        return this.sendKeys(call, command.tones, command.durationMs);
      case 'end':
        call.done = true;
        this.forget(call);
        this.hangUpOnWire(call, command.cause);
        return;
    }
  }

  private async place(command: Extract<CallCommand, { kind: 'place' }>): Promise<void> {
    const target = UserAgent.makeURI(sipTarget(command.to, this.config.address));
    if (!target) throw new Error(`"${command.to}" is not a SIP address, extension or number`);
    if (this.state.status !== 'registered') {
      const t = this.t();
      const notRegistered = t('The SIP account {{address}} is not registered', { address: this.config.address });
      throw new Error(this.state.message ? `${notRegistered}: ${this.state.message}` : notRegistered);
    }
    const inviter = new Inviter(this.userAgent, target, { earlyMedia: true });
    const call = this.track(command.callId, inviter, new RendererDescriptionHandler(this.descriptionEvents(command.callId), { ownOffer: command.offer.sdp }));
    await inviter.invite({
      requestDelegate: {
        onProgress: (response) => {
          const code = response.message.statusCode ?? 0;
          if (code >= 180 && code <= 183 && !call.done) this.emit({ kind: 'ringing', callId: call.id });
        },
        onReject: (response) => {
          call.end = callEndOfResponse(response.message.statusCode ?? 0, response.message.reasonPhrase ?? '', this.t());
        },
      },
    });
  }

  private receiveInvitation(invitation: Invitation): void {
    const { sink } = this.options;
    const offer = invitation.body;
    if (!offer || !(invitation.request.getHeader('Content-Type') ?? '').toLowerCase().startsWith(SDP)) {
      // An INVITE without an offer would need this app to offer first; PBXs that talk to WebRTC send one.
      void invitation.reject({ statusCode: 488 }).catch(() => {});
      return;
    }
    if (!sink.canAdmit()) {
      void invitation.reject({ statusCode: 486 }).catch(() => {});
      return;
    }
    const id = this.options.newCallId();
    const call = this.track(id, invitation, new RendererDescriptionHandler(this.descriptionEvents(id), { incomingOfferShown: true }));
    invitation.delegate = {
      ...invitation.delegate,
      onCancel: () => {
        call.end = { cause: 'cancelled' };
      },
    };
    const caller = invitation.remoteIdentity;
    this.emit({
      kind: 'incoming',
      callId: id,
      account: this.account,
      from: `${caller.uri.user ? `${caller.uri.user}@` : ''}${caller.uri.host}`,
      // Without a display name, the user part (often the number) names the caller; the address is shown beside it.
      ...(caller.displayName || caller.uri.user ? { displayName: (caller.displayName || caller.uri.user!).slice(0, 128) } : {}),
      offer: { type: 'offer', sdp: sdpFromSip(offer) },
      video: /^m=video [1-9]/m.test(offer),
      trickle: false,
      features: this.callFeatures(),
    });
  }

  private track(id: string, session: Inviter | Invitation, descriptions: RendererDescriptionHandler): SipCall {
    const call: SipCall = { id, session, descriptions, done: false, end: null };
    this.calls.set(id, call);
    this.pendingDescriptions.set(session, descriptions);
    session.delegate = {
      onBye: () => {
        call.end ??= { cause: 'hangup' };
      },
      onInfo: (info) => {
        void info.accept().catch(() => {});
        const key = keyOfInfoBody(info.request.getHeader('Content-Type') ?? '', info.request.body ?? '');
        if (key && !call.done) this.emit({ kind: 'keys', callId: id, tones: key });
      },
    };
    session.stateChange.addListener((state) => {
      if (state === SessionState.Established && session instanceof Inviter && !call.done) this.emit({ kind: 'accepted', callId: id });
      // SIP.js terminates the session before it tells the request's delegate why: read the cause after that.
      if (state === SessionState.Terminated) queueMicrotask(() => this.sessionEnded(call));
    });
    return call;
  }

  private sessionEnded(call: SipCall): void {
    call.descriptions.close();
    this.forget(call);
    if (call.done) return;
    call.done = true;
    const end = call.end ?? { cause: call.session.dialog ? 'hangup' : 'failed' };
    this.emit({ kind: 'end', callId: call.id, ...end });
  }

  private descriptionEvents(callId: string) {
    return {
      answered: (sdp: string) => {
        const call = this.calls.get(callId);
        if (!call || call.done) return;
        // Until the 200 arrives, the answer is early media (a 183): the call still rings.
        this.emit({ kind: 'answer', callId, answer: { type: 'answer', sdp: sdpFromSip(sdp) }, early: call.session.state !== SessionState.Established, features: this.callFeatures() });
      },
      offered: (sdp: string) => this.emit({ kind: 'offer', callId, offer: { type: 'offer', sdp: sdpFromSip(sdp) } }),
    };
  }

  private callFeatures(): string[] {
    return this.config.keys === 'sip-info' ? ['dtmf-signaling'] : [];
  }

  private descriptionHandlerFor(session: Session): SessionDescriptionHandler {
    const handler = this.pendingDescriptions.get(session);
    if (!handler) throw new Error('A SIP session without a call');
    return handler;
  }

  /** SIP INFO, one key per request and in order: a PBX acts on each as it comes. */
  private async sendKeys(call: SipCall, tones: string, durationMs: number): Promise<void> {
    if (call.session.state !== SessionState.Established) throw new Error('Keys can be sent once the call is answered');
    for (const tone of tones) {
      await call.session.info({
        requestOptions: { body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: dtmfRelayBody(tone, durationMs) } },
      });
    }
  }

  private hangUpOnWire(call: SipCall, cause: CallEndCause): void {
    const { session } = call;
    const done = (error: unknown) => this.options.log.warn({ err: error, call: call.id }, 'could not end a SIP call cleanly');
    if (session.state === SessionState.Established) void session.bye().catch(done);
    else if (session instanceof Inviter && (session.state === SessionState.Initial || session.state === SessionState.Establishing)) void session.cancel().catch(done);
    else if (session instanceof Invitation && session.state === SessionState.Initial) void session.reject({ statusCode: declineStatus(cause) }).catch(done);
    else if (session instanceof Invitation && session.state === SessionState.Establishing) void session.bye().catch(done);
  }

  private forget(call: SipCall): void {
    this.calls.delete(call.id);
  }

  private emit(event: CallEvent): void {
    this.options.sink.emit(event);
  }

  private async connectAndRegister(): Promise<void> {
    if (this.stopped) return;
    try {
      if (this.userAgent.state !== 'Started') await this.userAgent.start();
      else await this.userAgent.reconnect();
    } catch (error) {
      this.failed(this.words(error));
      return;
    }
    this.report('registering', null);
    await this.registerer
      .register({
        requestDelegate: {
          // The registerer may still say Registered from before the connection dropped, so its
          // state change cannot tell that this REGISTER succeeded: the 200 does.
          onAccept: () => {
            this.attempt = 0;
            this.report('registered', null);
          },
          onReject: (response: IncomingResponse) => {
            const statusCode = response.message.statusCode ?? 0;
            const reasonPhrase = response.message.reasonPhrase ?? '';
            // Wrong credentials stay wrong: no retry until the user changes them.
            const permanent = statusCode === 401 || statusCode === 403 || statusCode === 404 || statusCode === 407;
            this.failed(describeRegistrationFailure(statusCode, reasonPhrase, this.t()), !permanent);
          },
        },
      })
      .catch((error: Error) => this.failed(this.words(error)));
  }

  private lostConnection(error: Error | undefined): void {
    if (this.stopped) return;
    const t = this.t();
    this.failed(error ? this.words(error) : t('The connection to the SIP server was closed'));
  }

  private t(): Translate {
    return this.options.translate?.() ?? english;
  }

  /** An error as the account's reason: a transport problem in the user's language, anything else as it says. */
  private words(error: unknown): string {
    if (error instanceof SipTransportError) return connectionProblemWords(error.problem, this.t());
    return error instanceof Error ? error.message : String(error);
  }

  private failed(message: string, retry = true): void {
    if (this.stopped) return;
    this.report('failed', message);
    if (retry) this.scheduleRetry(backoffDelayMs(this.attempt++, this.options.reconnectBackoff ?? DEFAULT_BACKOFF));
  }

  private scheduleRetry(delayMs: number): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connectAndRegister();
    }, delayMs);
  }

  private report(status: SipAccountState['status'], message: string | null): void {
    if (this.state.status === status && this.state.message === message) return;
    this.state = { id: this.account, status, message };
    this.options.onState(this.state);
  }
}
