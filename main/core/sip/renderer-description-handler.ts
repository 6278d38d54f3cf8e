/**
 * SIP.js's SessionDescriptionHandler for a call whose RTCPeerConnection lives
 * in the renderer: SIP.js asks it for offers and answers and hands it the far
 * end's, and it passes them across as call events and commands. SIP.js knows
 * nothing of media, and the renderer nothing of SIP (the seam SIP.js itself
 * draws between its user agent core and its media).
 *
 * Descriptions the renderer gives are complete (every candidate inside):
 * SIP does not trickle.
 */
import type { BodyAndContentType, SessionDescriptionHandler } from 'sip.js';

/** How long SIP.js waits for the renderer to produce an answer to a re-INVITE before the call fails. */
const RENDERER_ANSWER_TIMEOUT_MS = 15_000;
const SDP = 'application/sdp';

export interface DescriptionEvents {
  /** The far end answered our offer (in a 183 or the 200). */
  answered(sdp: string): void;
  /** The far end offers new media in an established call (a re-INVITE): the renderer must answer. */
  offered(sdp: string): void;
}

export class RendererDescriptionHandler implements SessionDescriptionHandler {
  /** What the renderer supplied and SIP.js has not asked for yet. */
  private supplied: string | null;
  private waiter: { resolve(sdp: string): void; reject(error: Error): void } | null = null;
  /** We sent an offer and wait for its answer. */
  private offerOutstanding = false;
  /** The far end's offer that arrived with the INVITE was already shown to the renderer (the `incoming` event). */
  private initialOfferShown: boolean;
  /** The far end's offer is set and waits for our answer. */
  private remoteOfferPending = false;
  private closed = false;

  /**
   * `ownOffer`: the renderer's offer for a call we place.
   * `incomingOfferShown`: for a call that came in, whose offer the renderer already has.
   */
  constructor(
    private readonly events: DescriptionEvents,
    { ownOffer = null, incomingOfferShown = false }: { ownOffer?: string | null; incomingOfferShown?: boolean } = {},
  ) {
    this.supplied = ownOffer;
    this.initialOfferShown = incomingOfferShown;
  }

  /** The renderer's answer (to accept a call, or to a re-INVITE). */
  supply(sdp: string): void {
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = null;
      waiter.resolve(sdp);
    } else {
      this.supplied = sdp;
    }
  }

  async getDescription(): Promise<BodyAndContentType> {
    const answering = this.remoteOfferPending;
    // Offers come only from the renderer's own call (the INVITE's); it is never asked for a new one mid-call.
    if (!answering && this.supplied === null) throw new Error('This app does not start a new offer in a call');
    const sdp = this.supplied ?? (await this.waitForRenderer());
    this.supplied = null;
    if (answering) this.remoteOfferPending = false;
    else this.offerOutstanding = true;
    return { body: sdp, contentType: SDP };
  }

  async setDescription(sdp: string): Promise<void> {
    if (this.closed) throw new Error('The call has ended');
    if (this.offerOutstanding) {
      this.offerOutstanding = false;
      this.events.answered(sdp);
      return;
    }
    this.remoteOfferPending = true;
    if (this.initialOfferShown) {
      this.initialOfferShown = false;
      return;
    }
    this.events.offered(sdp);
  }

  hasDescription(contentType: string): boolean {
    return contentType.split(';')[0]!.trim().toLowerCase() === SDP;
  }

  async rollbackDescription(): Promise<void> {
    this.offerOutstanding = false;
    this.remoteOfferPending = false;
  }

  /** Keys go as RFC 4733 from the renderer's RTCDTMFSender, or as SIP INFO from the account: never through here. */
  sendDtmf(): boolean {
    return false;
  }

  close(): void {
    this.closed = true;
    this.waiter?.reject(new Error('The call has ended'));
    this.waiter = null;
  }

  private waitForRenderer(): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new Error('The app did not produce a session description in time'));
      }, RENDERER_ANSWER_TIMEOUT_MS);
      this.waiter = {
        resolve: (sdp) => {
          clearTimeout(timer);
          resolve(sdp);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
  }
}
