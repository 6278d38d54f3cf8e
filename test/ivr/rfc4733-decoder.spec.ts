import { expect, test } from '@playwright/test';
import { DTMF_EVENT_CODES, Rfc4733Decoder, parseTelephoneEvent } from '../../ivr/rfc4733-decoder.ts';

function eventPayload(code: number, options: { end?: boolean; duration?: number; volume?: number } = {}): Buffer {
  const payload = Buffer.alloc(4);
  payload[0] = code;
  payload[1] = (options.end ? 0x80 : 0) | (options.volume ?? 10);
  payload.writeUInt16BE(options.duration ?? 0, 2);
  return payload;
}

/** The packets a sender emits for one 100 ms tone: start, continuations every 20 ms, and the end three times. */
function tonePackets(code: number, payloadType: number, timestamp: number, clockRate: number) {
  const step = clockRate / 50;
  const packets = [];
  for (let duration = step; duration < step * 5; duration += step) packets.push({ payloadType, timestamp, payload: eventPayload(code, { duration }) });
  for (let i = 0; i < 3; i++) packets.push({ payloadType, timestamp, payload: eventPayload(code, { end: true, duration: step * 5 }) });
  return packets;
}

const rates = new Map([
  [126, 8000],
  [110, 48000],
]);

test('parses the event code, end bit, volume and duration', () => {
  expect(parseTelephoneEvent(eventPayload(11, { end: true, volume: 7, duration: 800 }))).toEqual({ digit: '#', end: true, volume: 7, duration: 800 });
});

for (const [payloadType, clockRate] of rates) {
  test(`one digit per tone at ${clockRate} Hz: start reported, repeats and the triple end deduped`, () => {
    const decoder = new Rfc4733Decoder(rates);
    const results = tonePackets(5, payloadType, 1234, clockRate).map((p) => decoder.push(p)).filter((r) => r !== null);
    expect(results).toEqual([
      { kind: 'start', digit: '5', payloadType, clockRate, durationMs: 20, endOnly: false },
      { kind: 'end', digit: '5', payloadType, clockRate, durationMs: 100, endOnly: false },
    ]);
  });
}

test('all 16 events, each once, in order, on both payload types', () => {
  for (const [payloadType, clockRate] of rates) {
    const decoder = new Rfc4733Decoder(rates);
    const digits: string[] = [];
    for (let code = 0; code < 16; code++) {
      for (const packet of tonePackets(code, payloadType, 1000 + code * clockRate, clockRate)) {
        const result = decoder.push(packet);
        if (result?.kind === 'start') digits.push(result.digit);
      }
    }
    expect(digits.join('')).toBe(DTMF_EVENT_CODES);
  }
});

test('the same digit twice is two events because the timestamps differ', () => {
  const decoder = new Rfc4733Decoder(rates);
  const starts = [...tonePackets(1, 126, 100, 8000), ...tonePackets(1, 126, 2000, 8000)].map((p) => decoder.push(p)).filter((r) => r?.kind === 'start');
  expect(starts).toHaveLength(2);
});

test('an event seen only by its end packets is reported once, marked end-only', () => {
  const decoder = new Rfc4733Decoder(rates);
  const packets = tonePackets(9, 126, 555, 8000).slice(-3);
  const results = packets.map((p) => decoder.push(p)).filter((r) => r !== null);
  expect(results).toEqual([{ kind: 'start', digit: '9', payloadType: 126, clockRate: 8000, durationMs: 100, endOnly: true }]);
});

test('timestamps wrap around 2^32 without confusion', () => {
  const decoder = new Rfc4733Decoder(rates);
  const a = decoder.push({ payloadType: 126, timestamp: 0xffffffff, payload: eventPayload(1, { duration: 160 }) });
  const b = decoder.push({ payloadType: 126, timestamp: 0, payload: eventPayload(2, { duration: 160 }) });
  expect([a?.digit, b?.digit]).toEqual(['1', '2']);
});

test('garbage, short packets, non-DTMF events and unknown payload types are rejected without throwing', () => {
  const decoder = new Rfc4733Decoder(rates);
  const bad = [
    { payloadType: 126, timestamp: 1, payload: Buffer.alloc(0) },
    { payloadType: 126, timestamp: 2, payload: Buffer.from([1, 2, 3]) },
    { payloadType: 126, timestamp: 3, payload: eventPayload(16) },
    { payloadType: 126, timestamp: 4, payload: eventPayload(255) },
    { payloadType: 111, timestamp: 5, payload: eventPayload(1) },
  ];
  for (const packet of bad) expect(decoder.push(packet)).toBeNull();
  expect(parseTelephoneEvent(Buffer.from([0xff]))).toBeNull();
  // A garbage packet must not poison the timestamp of a real event that follows.
  expect(decoder.push({ payloadType: 126, timestamp: 3, payload: eventPayload(3, { duration: 160 }) })?.digit).toBe('3');
});

test('memory stays bounded over many events', () => {
  const decoder = new Rfc4733Decoder(rates);
  for (let i = 0; i < 10_000; i++) decoder.push({ payloadType: 126, timestamp: i * 1000, payload: eventPayload(i % 16, { duration: 160 }) });
  expect((decoder as unknown as { seen: Map<string, boolean> }).seen.size).toBeLessThanOrEqual(64);
});

test('a tone longer than the duration field holds goes on in a new segment and is still one key', () => {
  // 2 s at 48 kHz is 96000 units: the sender fills one segment to 0xFFFF, then starts the next at timestamp + 0xFFFF.
  const decoder = new Rfc4733Decoder(rates);
  const first = 1000;
  const packets = [
    { payloadType: 110, timestamp: first, payload: eventPayload(3, { duration: 960 }) },
    { payloadType: 110, timestamp: first, payload: eventPayload(3, { duration: 0xffff }) },
    { payloadType: 110, timestamp: first + 0xffff, payload: eventPayload(3, { duration: 960 }) },
    ...Array.from({ length: 3 }, () => ({ payloadType: 110, timestamp: first + 0xffff, payload: eventPayload(3, { end: true, duration: 96000 - 0xffff }) })),
    // The next press of the same key is a new key.
    { payloadType: 110, timestamp: first + 96000 + 4800, payload: eventPayload(3, { duration: 960 }) },
  ];
  const digits = packets.map((p) => decoder.push(p)).filter((r) => r?.kind === 'start').map((r) => r!.digit);
  expect(digits).toEqual(['3', '3']);
});
