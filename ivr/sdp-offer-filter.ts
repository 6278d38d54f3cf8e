/**
 * Trims the audio sections of an offer to what the IVR will answer with,
 * before werift sees it. werift matches codecs by MIME type only, so left to
 * itself it would accept telephone-event at every offered rate; the IVR must
 * be able to answer with exactly the rates it was asked to (8000, 48000 or
 * both). It also puts the chosen audio codec first, because werift sends on
 * the first negotiated codec.
 */

export interface AudioOfferShape {
  codec: 'pcmu' | 'opus';
  telephoneEventRates: readonly number[];
}

const CODEC_NAMES = { pcmu: 'pcmu', opus: 'opus' } as const;

interface Rtpmap {
  payloadType: number;
  name: string;
  clockRate: number;
}

function rtpmaps(lines: string[]): Rtpmap[] {
  const maps: Rtpmap[] = [];
  for (const line of lines) {
    const match = /^a=rtpmap:(\d+) ([^/\s]+)\/(\d+)/.exec(line);
    if (match) maps.push({ payloadType: Number(match[1]), name: match[2]!.toLowerCase(), clockRate: Number(match[3]) });
  }
  return maps;
}

/** Payload types a line is about (rtpmap, fmtp, rtcp-fb), or null for lines about none. */
function linePayloadType(line: string): number | null {
  const match = /^a=(?:rtpmap|fmtp|rtcp-fb):(\d+)[\s]/.exec(line);
  return match ? Number(match[1]) : null;
}

function shapeAudioSection(lines: string[], shape: AudioOfferShape): string[] {
  const [mLine, ...rest] = lines;
  const parts = mLine!.split(' ');
  const maps = rtpmaps(rest);
  const wanted = CODEC_NAMES[shape.codec];
  const audio = maps.filter((m) => m.name === wanted).map((m) => m.payloadType);
  // PCMU's static payload type 0 may come without an rtpmap line.
  if (shape.codec === 'pcmu' && audio.length === 0 && parts.slice(3).includes('0')) audio.push(0);
  const events = maps.filter((m) => m.name === 'telephone-event' && shape.telephoneEventRates.includes(m.clockRate)).map((m) => m.payloadType);
  const keep = [...audio, ...events];
  const keepSet = new Set(keep);
  // Nothing we can answer: leave the section alone and let negotiation reject it.
  if (audio.length === 0) return lines;
  const header = [...parts.slice(0, 3), ...keep.map(String)].join(' ');
  return [header, ...rest.filter((line) => {
    const pt = linePayloadType(line);
    return pt === null || keepSet.has(pt);
  })];
}

export function shapeAudioOffer(sdp: string, shape: AudioOfferShape): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(/\r?\n/);
  const out: string[] = [];
  let section: string[] | null = null;
  const flush = () => {
    if (section) out.push(...(section[0]!.startsWith('m=audio ') ? shapeAudioSection(section, shape) : section));
    section = null;
  };
  for (const line of lines) {
    if (line.startsWith('m=')) {
      flush();
      section = [line];
    } else if (section) {
      section.push(line);
    } else {
      out.push(line);
    }
  }
  flush();
  return out.join(eol);
}

/** The most media sections an offer may have: audio, plus the video section of a video call. */
export const MAX_OFFER_SECTIONS = 2;

/**
 * Why the IVR will not take an offer, or null if it will. Every media section
 * costs the IVR a transport and its ICE and DTLS work, so a caller gets at
 * most two (audio, and the video of a video call, which is answered
 * inactive), and two only if they share one transport: a=group:BUNDLE at
 * session level naming both sections' a=mid.
 */
export function offerShapeProblem(sdp: string): string | null {
  const sessionLines: string[] = [];
  const sections: string[][] = [];
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) sections.push([line]);
    else if (sections.length > 0) sections.at(-1)!.push(line);
    else sessionLines.push(line);
  }
  if (sections.length === 0) return 'the offer has no media section';
  if (sections.length > MAX_OFFER_SECTIONS) return `the offer has ${sections.length} media sections; at most ${MAX_OFFER_SECTIONS} are answered`;
  if (sections.length === 1) return null;
  const mids = sections.map((section) => section.find((line) => line.startsWith('a=mid:'))?.slice('a=mid:'.length).trim());
  if (mids.some((mid) => !mid)) return 'the offer has two media sections, and not both have an a=mid';
  const bundled = sessionLines
    .filter((line) => line.startsWith('a=group:BUNDLE'))
    .some((line) => {
      const members = new Set(line.slice('a=group:BUNDLE'.length).trim().split(/\s+/));
      return mids.every((mid) => members.has(mid!));
    });
  return bundled ? null : 'the offer has two media sections that are not BUNDLEd on one transport';
}
