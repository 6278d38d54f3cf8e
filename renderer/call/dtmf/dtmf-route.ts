/**
 * How a key press reaches the other side on this call, and why.
 *
 * RFC 4733 is the best route: the digits travel beside the audio and survive
 * any codec. It needs a sender that can insert DTMF and a telephone-event
 * payload the peer accepted at the clock rate of the audio codec we send:
 * Chromium offers telephone-event at 48000 and 8000, and when an Opus call's
 * answer keeps only /8000, what Chromium sends cannot be decoded (DESIGN.md,
 * measured). Otherwise the setting picks a fallback.
 */
import type { DtmfTransport } from '../../../common/settings-schema.ts';
import { t } from '../../../common/i18n/index.ts';

export type DtmfRoute = 'rfc4733' | 'signaling' | 'inband';

/** What negotiation produced, read from the audio sender's parameters. */
export interface NegotiatedAudio {
  /** Clock rate of the codec we send audio with (48000 for Opus, 8000 for PCMU), or null before negotiation. */
  sendClockRate: number | null;
  /** Clock rates of the telephone-event payload types the peer accepted. */
  telephoneEventRates: number[];
}

export interface RouteInputs {
  setting: DtmfTransport;
  /** RTCDTMFSender.canInsertDTMF, false when there is no DTMF sender. */
  canInsertDtmf: boolean;
  negotiated: NegotiatedAudio;
  /** The peer announced `dtmf-signaling` on its offer or answer. */
  peerTakesSignaling: boolean;
}

export interface RouteDecision {
  /** null: keys cannot be sent with the chosen setting. */
  route: DtmfRoute | null;
  /** Why RFC 4733 cannot be used, when it cannot. */
  rfc4733Problem: string | null;
  /** One sentence for the keypad's status line. */
  summary: string;
}

export function negotiatedAudio(codecs: ReadonlyArray<{ mimeType: string; clockRate: number }>): NegotiatedAudio {
  const isEvent = (c: { mimeType: string }) => c.mimeType.toLowerCase() === 'audio/telephone-event';
  const media = codecs.find((c) => !isEvent(c) && !/\/(red|cn|rtx|ulpfec|flexfec-03)$/i.test(c.mimeType));
  return {
    sendClockRate: media?.clockRate ?? null,
    telephoneEventRates: [...new Set(codecs.filter(isEvent).map((c) => c.clockRate))].sort((a, b) => a - b),
  };
}

function rfc4733Problem({ canInsertDtmf, negotiated }: RouteInputs): string | null {
  if (!canInsertDtmf) return t('this call cannot send telephone events');
  if (negotiated.telephoneEventRates.length === 0) return t('the other side did not accept telephone events');
  if (negotiated.sendClockRate !== null && !negotiated.telephoneEventRates.includes(negotiated.sendClockRate)) {
    const rates = negotiated.telephoneEventRates.join(` ${t('and')} `);
    return t('the other side accepts telephone events only at {{rates}} Hz, which does not match the {{rate}} Hz audio codec', { rates, rate: negotiated.sendClockRate });
  }
  return null;
}

function routeText(route: DtmfRoute): string {
  return route === 'rfc4733'
    ? t('Keys are sent as RFC 4733 telephone events.')
    : route === 'signaling'
      ? t('Keys are sent as messages over signaling.')
      : t('Keys are sent as tones in your audio.');
}

export function chooseDtmfRoute(inputs: RouteInputs): RouteDecision {
  const problem = rfc4733Problem(inputs);
  const because = problem ? `${t('RFC 4733 is not possible on this call: {{problem}}.', { problem })} ` : '';
  switch (inputs.setting) {
    case 'auto': {
      if (!problem) return { route: 'rfc4733', rfc4733Problem: null, summary: routeText('rfc4733') };
      const route: DtmfRoute = inputs.peerTakesSignaling ? 'signaling' : 'inband';
      return { route, rfc4733Problem: problem, summary: because + routeText(route) };
    }
    case 'rfc4733':
      if (!inputs.canInsertDtmf) {
        return {
          route: null,
          rfc4733Problem: problem,
          summary: because + t('Choose another way to send keys in Settings.'),
        };
      }
      // The user insisted: send, but say what may go wrong.
      return { route: 'rfc4733', rfc4733Problem: problem, summary: problem ? because + t('Sending telephone events anyway, as chosen in Settings.') : routeText('rfc4733') };
    case 'signaling':
      return {
        route: 'signaling',
        rfc4733Problem: problem,
        summary: inputs.peerTakesSignaling ? routeText('signaling') : `${routeText('signaling')} ${t('The other side did not say it understands them.')}`,
      };
    case 'inband':
      return { route: 'inband', rfc4733Problem: problem, summary: routeText('inband') };
  }
}
