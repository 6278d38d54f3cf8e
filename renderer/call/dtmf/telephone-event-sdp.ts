/**
 * Makes the browser send key events the far side can decode.
 *
 * Offered telephone-event at 48000 and 8000 and answered with both, Chromium
 * sends its Opus calls' events on the 8000 type with 48 kHz timestamps and
 * end packets only (measured here, see DESIGN.md and bench:dtmf). Keeping in
 * the answer only the telephone-event whose clock matches the audio codec we
 * send makes it use the right one; the peer accepted that type, so nothing
 * it can decode is lost.
 */

interface AudioFormat {
  payloadType: string;
  name: string;
  clockRate: number;
}

function formats(section: string): AudioFormat[] {
  return [...section.matchAll(/^a=rtpmap:(\d+) ([^/\r\n]+)\/(\d+)/gm)].map((m) => ({ payloadType: m[1]!, name: m[2]!.toLowerCase(), clockRate: Number(m[3]) }));
}

const isEvent = (f: AudioFormat | undefined) => f?.name === 'telephone-event';

/** The first audio codec of a section and its telephone-events, when one of several matches the codec's clock. */
function mismatchedEvents(section: string): { sendCodec: AudioFormat; drop: AudioFormat[] } | null {
  const order = /^m=audio \S+ \S+ ([\d ]+)/m.exec(section)?.[1]?.trim().split(/\s+/) ?? [];
  const byType = new Map(formats(section).map((f) => [f.payloadType, f]));
  const sendCodec = order.map((pt) => byType.get(pt)).find((f) => f && !isEvent(f) && !['red', 'cn'].includes(f.name));
  const events = order.map((pt) => byType.get(pt)).filter(isEvent) as AudioFormat[];
  if (!sendCodec || events.length < 2 || !events.some((e) => e.clockRate === sendCodec.clockRate)) return null;
  return { sendCodec, drop: events.filter((e) => e.clockRate !== sendCodec.clockRate) };
}

function keepMatchingTelephoneEvent(section: string): string {
  const mismatch = mismatchedEvents(section);
  if (!mismatch) return section;
  const drop = new Set(mismatch.drop.map((e) => e.payloadType));
  return section
    .replace(/^(m=audio \S+ \S+ )([\d ]+)/m, (_, head: string, list: string) => head + list.trim().split(/\s+/).filter((pt) => !drop.has(pt)).join(' '))
    .split(/(?<=\r?\n)/)
    .filter((line) => !/^a=(rtpmap|fmtp|rtcp-fb):(\d+)[ \r\n]/.test(line) || !drop.has(/^a=\w+(?:-\w+)?:(\d+)/.exec(line)![1]!))
    .join('');
}

/** The remote answer with, in each audio section, only the telephone-event at the send codec's clock rate, when there is one. */
export function preferMatchingTelephoneEvent(sdp: string): string {
  const sections = sdp.split(/(?=^m=)/m);
  return sections.map((section) => (section.startsWith('m=audio') ? keepMatchingTelephoneEvent(section) : section)).join('');
}

/**
 * For answering an offer: the telephone-event clock rates to leave out of our
 * answer (via setCodecPreferences), so the same Chromium choice cannot happen
 * when we are the one answering. Empty when the offer needs no help.
 */
export function telephoneEventRatesToDecline(offerSdp: string): number[] {
  const audio = offerSdp.split(/(?=^m=)/m).find((section) => section.startsWith('m=audio'));
  const mismatch = audio ? mismatchedEvents(audio) : null;
  // Only for an Opus-first offer: our preference list is Opus-first too, so no other codec choice changes.
  if (!mismatch || mismatch.sendCodec.name !== 'opus') return [];
  return [...new Set(mismatch.drop.map((e) => e.clockRate))];
}

/**
 * Whether to answer this offer with G.711 rather than Opus: its telephone
 * events run at 8000 Hz only (many PBXs and SIP phones, baresip among them),
 * so with Opus Chromium's keys would go out as end packets nobody decodes.
 * Only when the offer has PCMU or PCMA to answer with.
 */
export function answerWithG711ForKeys(offerSdp: string): boolean {
  const audio = offerSdp.split(/(?=^m=)/m).find((section) => section.startsWith('m=audio'));
  if (!audio) return false;
  const offered = formats(audio);
  const events = offered.filter(isEvent);
  if (events.length === 0 || events.some((e) => e.clockRate !== 8000)) return false;
  return offered.some((f) => f.name === 'pcmu' || f.name === 'pcma');
}

/** Codec order for an audio transceiver: G.711 first when `g711First`, telephone events at `declinedRates` left out. */
export function audioCodecOrder<C extends { mimeType: string; clockRate: number }>(codecs: readonly C[], { g711First, declinedRates }: { g711First: boolean; declinedRates: readonly number[] }): C[] {
  const isEventCodec = (c: C) => c.mimeType.toLowerCase() === 'audio/telephone-event';
  const kept = codecs.filter((c) => !(isEventCodec(c) && declinedRates.includes(c.clockRate)));
  if (!g711First) return kept;
  const isG711 = (c: C) => /^audio\/(pcmu|pcma)$/i.test(c.mimeType);
  return [...kept.filter(isG711), ...kept.filter((c) => !isG711(c))];
}
