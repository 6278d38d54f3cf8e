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
