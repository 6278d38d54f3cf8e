/**
 * stringSource must find exactly the string JSON.parse kept: checked on the
 * awkward cases by hand, and against JSON.parse on thousands of generated
 * objects written with every kind of spacing, escaping and duplication.
 */
import { test, expect } from '@playwright/test';
import { stringSource } from '../../server/json-source.ts';

const SDP = ['sdp', 'sdp'] as const;

/** What the found source says, decoded: it must be what JSON.parse made of the same member. */
function decoded(text: string, path: readonly string[]): unknown {
  const source = stringSource(text, path);
  return source === null ? null : JSON.parse(source);
}

function parsedAt(text: string, path: readonly string[]): unknown {
  let value: unknown = JSON.parse(text);
  for (const name of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, name)) return null;
    value = (value as Record<string, unknown>)[name];
  }
  return typeof value === 'string' ? value : null;
}

test('finds the string as the sender wrote it, escapes included', () => {
  const text = '{"type":"video-offer","sdp":{"type":"offer","sdp":"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n"}}';
  expect(stringSource(text, SDP)).toBe('"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n"');
});

test('takes the last of two members with the same name, as JSON.parse does, at every level', () => {
  const text = '{"sdp":{"sdp":"first","sdp":"second"},"type":"x","sdp":{"sdp":"third","type":"offer","sdp":"fourth"}}';
  expect(decoded(text, SDP)).toBe('fourth');
  expect(decoded(text, SDP)).toBe(parsedAt(text, SDP));
});

test('decodes member names written with escapes before comparing them', () => {
  const text = '{"sdp":{"sdp":"plain"},"\\u0073dp":{"\\u0073\\u0064p":"escaped"}}';
  expect(decoded(text, SDP)).toBe('escaped');
  // A name that only looks similar is another member.
  expect(decoded('{"sdp":{"sdp":"real","sd\\"p":"other","sdp ":"spaced"}}', SDP)).toBe('real');
});

test('steps over strings holding quotes, backslashes, braces and the name itself', () => {
  const tricky = 'a \\"quoted\\" }{ ][ \\\\ \\\\\\" \\"sdp\\":\\"not me\\" \\u00e9 \\/';
  const text = `{"note":"${tricky}","list":[{"sdp":"nested in a list"},"]",{}],"sdp":{"info":{"sdp":"too deep"},"sdp":"${tricky}"}}`;
  expect(stringSource(text, SDP)).toBe(`"${tricky}"`);
  expect(decoded(text, SDP)).toBe(parsedAt(text, SDP));
});

test('steps over numbers, literals and whitespace anywhere JSON allows it', () => {
  const text = ' \t\r\n{ "a" : -1.5e+3 , "b" :true,"c": null ,\n"sdp" :\t{ "n":0 , "sdp" : "x" \r\n} , "z" : false } ';
  expect(stringSource(text, SDP)).toBe('"x"');
});

test('keeps to the frame: many members named with escapes, deep nesting, lone surrogates', () => {
  // Every name holds a character whose UTF-16 code contains the backslash's byte (U+015C, U+5C1C).
  const members = Array.from({ length: 8000 }, (_, i) => `"${i % 2 ? 'Ŝ' : '尜'}${i}":0`).join(',');
  const crowded = `{"type":"video-offer",${members},"sdp":{"type":"offer","sdp":"v=0\\ud83d"}}`;
  expect(stringSource(crowded, SDP)).toBe('"v=0\\ud83d"');
  expect(decoded(crowded, SDP)).toBe(parsedAt(crowded, SDP));

  const depth = 20_000;
  const deep = `{"a":${'['.repeat(depth)}"]"${']'.repeat(depth)},"sdp":{"sdp":"after"}}`;
  expect(stringSource(deep, SDP)).toBe('"after"');

  const proto = '{"__proto__":{"sdp":"not this"},"sdp":{"__proto__":"x","sdp":"this"}}';
  expect(decoded(proto, SDP)).toBe('this');
});

test('answers null when there is no string at that path', () => {
  expect(stringSource('{"type":"hang-up"}', SDP)).toBeNull();
  expect(stringSource('{"sdp":"a string, not an object"}', SDP)).toBeNull();
  expect(stringSource('{"sdp":{"sdp":42}}', SDP)).toBeNull();
  expect(stringSource('{"sdp":{"sdp":{"sdp":"deeper"}}}', SDP)).toBeNull();
  expect(stringSource('{"sdp":{}}', SDP)).toBeNull();
  expect(stringSource('{}', SDP)).toBeNull();
  expect(stringSource('["sdp",{"sdp":{"sdp":"in an array"}}]', SDP)).toBeNull();
});

test('agrees with JSON.parse on thousands of generated objects', () => {
  // mulberry32: a small seeded generator, so a failure can be replayed.
  let seed = 12345;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const pieces = ['a', 'sdp', ' ', '"', '\\', '{', '}', '[', ']', ':', ',', '\r\n', 'é', '😀', '\ud83d', '\ude00', '\u2028', '\u0000', 'type'];
  const aString = () => Array.from({ length: Math.floor(random() * 6) }, () => pick(pieces)).join('');
  const space = () => pick(['', '', ' ', '\n  ', '\t']);
  // Member names are written plainly, with \u escapes, or with escaped characters.
  // Member names are written plainly, or with \u escapes in either case, or with \/.
  const escaped = (c: string) => {
    const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
    return random() < 0.5 ? `\\u${hex}` : `\\u${hex.toUpperCase()}`;
  };
  const nameText = (name: string) =>
    random() < 0.6
      ? JSON.stringify(name)
      : `"${[...name].map((c) => (c === '/' && random() < 0.5 ? '\\/' : random() < 0.5 ? escaped(c) : JSON.stringify(c).slice(1, -1))).join('')}"`;
  const value = (depth: number): string => {
    const kind = random();
    if (kind < 0.35 || depth > 2) return JSON.stringify(aString());
    if (kind < 0.5) return pick(['0', '-1.25e3', 'true', 'false', 'null', '7']);
    if (kind < 0.65) return `[${space()}${Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1)).join(`${space()},${space()}`)}${space()}]`;
    return object(depth + 1);
  };
  const object = (depth: number): string => {
    const members = Array.from({ length: Math.floor(random() * 5) }, () => {
      const name = pick(['sdp', 'sdp', 'type', 'x', 's dp', 'sdp\u0000', 's/dp', '__proto__', 'sdpé']);
      return `${space()}${nameText(name)}${space()}:${space()}${value(depth)}${space()}`;
    });
    return `{${members.join(',')}}`;
  };
  let found = 0;
  const disagreements: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    const text = `${space()}${object(0)}${space()}`;
    const expected = parsedAt(text, SDP);
    if (decoded(text, SDP) !== expected || decoded(text, ['sdp']) !== parsedAt(text, ['sdp'])) disagreements.push(text);
    if (expected !== null) found++;
  }
  expect(disagreements).toEqual([]);
  // The generator must really produce the case being tested, not only misses.
  expect(found).toBeGreaterThan(250);
});
