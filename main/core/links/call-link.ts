/**
 * What a `tel:`, `callto:` or `sip:` link asks for, in the terms of the dial
 * box: the OS hands these to the app when the user clicks one in a browser or
 * a mail. Nothing is dialed from a link without the user confirming it.
 *
 * - tel: RFC 3966. Visual separators (`-`, `.`, `(`, `)`, spaces) are
 *   dropped; a global number starts with `+`; a local one may carry
 *   `;phone-context=`; `;ext=` becomes keys sent after the answer.
 * - sip:/sips: RFC 3261. The address without URI parameters or headers
 *   (a link cannot choose the transport or add headers to our INVITE).
 * - callto: the old Skype/NetMeeting form: a number, or a name.
 */

export type CallLink =
  | { kind: 'number'; number: string; dialString: string }
  | { kind: 'sip'; address: string; dialString: string }
  | { kind: 'name'; name: string; dialString: string };

export type CallLinkResult = { ok: true; link: CallLink } | { ok: false; message: string };

/** Longer links than this are not phone numbers or addresses anyone clicks. */
const MAX_LINK_LENGTH = 2048;
const VISUAL_SEPARATORS = /[-.()\s]/g;

export function parseCallLink(url: string): CallLinkResult {
  const text = url.trim();
  if (text.length > MAX_LINK_LENGTH) return refused('This link is too long to be a phone number or an address.');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  const rest = scheme ? text.slice(scheme.length + 1) : '';
  switch (scheme) {
    case 'tel':
      return telLink(rest);
    case 'sip':
    case 'sips':
      return sipLink(scheme, rest);
    case 'callto':
      return calltoLink(rest);
    default:
      return refused(`The softphone opens tel:, callto: and sip: links, not ${scheme ? `${scheme}:` : 'this'} links.`);
  }
}

function telLink(rest: string): CallLinkResult {
  const [numberPart = '', ...parameters] = rest.split(';');
  const decoded = decode(numberPart);
  if (decoded === null) return refused('This tel: link is not properly encoded.');
  const number = decoded.replace(VISUAL_SEPARATORS, '');
  const params = new Map(
    parameters.map((p) => {
      const [name = '', value = ''] = p.split('=');
      return [name.toLowerCase(), decode(value) ?? ''] as const;
    }),
  );
  const global = /^\+[0-9]{1,15}$/.test(number);
  // Local numbers may contain * and # (feature codes such as *86), per RFC 3966's local-number-digits.
  const local = /^[0-9*#A-D]{1,32}$/i.test(number);
  if (!global && !local) return refused(`"${decoded}" is not a phone number: a tel: link holds digits, an optional + and separators.`);
  const extension = (params.get('ext') ?? '').replace(VISUAL_SEPARATORS, '');
  if (extension && !/^[0-9*#]{1,20}$/.test(extension)) return refused(`"${extension}" is not an extension: it may only hold digits, * and #.`);
  // An extension is dialed once the main number answers, as a post-dial key sequence.
  const dialString = extension ? `${number},${extension}` : number;
  return { ok: true, link: { kind: 'number', number, dialString } };
}

function sipLink(scheme: string, rest: string): CallLinkResult {
  const withoutHeaders = rest.split('?')[0] ?? '';
  const withoutParameters = withoutHeaders.split(';')[0] ?? '';
  const decoded = decode(withoutParameters);
  if (decoded === null) return refused('This sip: link is not properly encoded.');
  const match = /^([^@\s]+)@(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(:\d{1,5})?$/i.exec(decoded);
  if (!match) return refused(`"${decoded}" is not a SIP address: it looks like user@example.org.`);
  const address = `${scheme}:${decoded}`;
  return { ok: true, link: { kind: 'sip', address, dialString: address } };
}

function calltoLink(rest: string): CallLinkResult {
  const decoded = decode(rest.replace(/^\/\//, '').split('?')[0] ?? '');
  if (decoded === null) return refused('This callto: link is not properly encoded.');
  const value = decoded.trim();
  const number = value.replace(VISUAL_SEPARATORS, '');
  if (/^\+?[0-9]{2,15}$/.test(number)) return { ok: true, link: { kind: 'number', number, dialString: number } };
  if (/^[^\s@]+@[^\s@]+$/.test(value)) return sipLink('sip', value);
  if (/^[\p{L}\p{N}][\p{L}\p{N} ._'-]{0,31}$/u.test(value)) return { ok: true, link: { kind: 'name', name: value, dialString: value } };
  return refused(`"${value}" is not a number, an address or a name that can be called.`);
}

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function refused(message: string): CallLinkResult {
  return { ok: false, message };
}

/** The schemes the app registers as the OS handler for. */
export const CALL_LINK_SCHEMES = ['tel', 'callto', 'sip', 'sips'] as const;

/**
 * The link on a command line, if any: Windows and Linux start the app (or hand
 * a running one, through second-instance) with the clicked link as an argument.
 */
export function linkInArgv(argv: readonly string[]): string | null {
  return argv.find((arg) => /^(tel|callto|sips?):/i.test(arg)) ?? null;
}
