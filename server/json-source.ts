/**
 * Finding where a value sits in JSON text that JSON.parse has just accepted,
 * so it can be passed on as the sender wrote it instead of serialised again.
 *
 * A session description is most of a routed signal (3–4 KB, full of `\r\n`
 * escapes): serialising it again took as long as everything else the server
 * does with the signal. Its source text, already a valid JSON string, says
 * the same thing.
 *
 * Only for text JSON.parse accepted: it walks the structure without checking
 * it. Strings are skipped with indexOf (a session description holds no
 * quotes), so the cost grows with the number of members and the length of
 * their names, never faster than the frame: a sender cannot make it
 * quadratic. Like JSON.parse, the last of two members with the same name
 * wins, and names written with escapes (`"\u0073dp"`) are decoded before
 * comparing.
 *
 * The sender chooses how its SDP is escaped (`\u0061` for `a` is valid
 * JSON), so the routed text can be up to six times the SDP's length: within
 * the 64 KB a frame may carry, far below the 1 MB a client accepts.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const SPACE = 0x20;

/** Where something ended, or NOT_FOUND when the text is not what it should be. */
const NOT_FOUND = -1;

function skipWhitespace(text: string, at: number): number {
  // JSON whitespace is space, tab, line feed and carriage return: all at or below space.
  while (at < text.length && text.charCodeAt(at) <= SPACE) at++;
  return at;
}

/** The index just past the string whose opening quote is at `at`. */
function endOfString(text: string, at: number): number {
  let from = at + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return NOT_FOUND;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    // An even number of backslashes escape each other, not the quote.
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** The index just past the value (of any kind) that starts at `at`. */
function endOfValue(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === QUOTE) return endOfString(text, at);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    while (at < text.length) {
      const code = text.charCodeAt(at);
      if (code === QUOTE) {
        at = endOfString(text, at);
        if (at === NOT_FOUND) return NOT_FOUND;
        continue;
      }
      if (code === OPEN_BRACE || code === OPEN_BRACKET) depth++;
      else if ((code === CLOSE_BRACE || code === CLOSE_BRACKET) && --depth === 0) return at + 1;
      at++;
    }
    return NOT_FOUND;
  }
  // A number, true, false or null: up to the next separator.
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (code === COMMA || code === CLOSE_BRACE || code === CLOSE_BRACKET || code <= SPACE) break;
    at++;
  }
  return at;
}

/** Whether the string token text[start, end) is `name`. */
function isName(text: string, start: number, end: number, name: string): boolean {
  const length = end - start - 2;
  if (length === name.length && text.startsWith(name, start + 1)) return true;
  // Written with escapes it is longer, but at most six characters (\uXXXX) for each of its own.
  if (length <= name.length || length > 6 * name.length) return false;
  // Only a name written with escapes can mean `name` and look different. The
  // search stays inside this name: one through the rest of the frame for
  // every member would make a frame of many members cost its length squared.
  for (let at = start + 1; at < end - 1; at++) {
    if (text.charCodeAt(at) === BACKSLASH) return JSON.parse(text.slice(start, end)) === name;
  }
  return false;
}

/**
 * The bounds [start, end) of member `name`'s value in the object that starts
 * at `at` (the last such member, as JSON.parse keeps), or null.
 */
function memberBounds(text: string, at: number, name: string): [number, number] | null {
  if (text.charCodeAt(at) !== OPEN_BRACE) return null;
  let found: [number, number] | null = null;
  at = skipWhitespace(text, at + 1);
  if (text.charCodeAt(at) === CLOSE_BRACE) return null;
  for (;;) {
    const nameEnd = endOfString(text, at);
    if (nameEnd === NOT_FOUND) return null;
    const valueStart = skipWhitespace(text, skipWhitespace(text, nameEnd) + 1); // past the colon
    const valueEnd = endOfValue(text, valueStart);
    if (valueEnd === NOT_FOUND) return null;
    if (isName(text, at, nameEnd, name)) found = [valueStart, valueEnd];
    at = skipWhitespace(text, valueEnd);
    if (text.charCodeAt(at) !== COMMA) return found;
    at = skipWhitespace(text, at + 1);
  }
}

/**
 * The source text of the string at `path` (member names, outermost first) in
 * the JSON object `text`, quotes and escapes included, or null when there is
 * no string there. `text` must be text JSON.parse accepted.
 */
export function stringSource(text: string, path: readonly string[]): string | null {
  let start = skipWhitespace(text, 0);
  let end = NOT_FOUND;
  for (const name of path) {
    const bounds = memberBounds(text, start, name);
    if (bounds === null) return null;
    [start, end] = bounds;
  }
  return end !== NOT_FOUND && text.charCodeAt(start) === QUOTE ? text.slice(start, end) : null;
}
