import { expect, test } from '@playwright/test';
import { OpusCodec } from '../../ivr/opus.ts';

const tone = new Int16Array(160).map((_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));

test('codecs made before the shared WebAssembly memory grew keep working', () => {
  const encoder = new OpusCodec(8000);
  const decoder = new OpusCodec(8000);
  const later = Array.from({ length: 300 }, () => new OpusCodec(48000));
  try {
    for (let i = 0; i < 5; i++) expect(decoder.decode(encoder.encode(tone))).toHaveLength(160);
  } finally {
    for (const codec of [encoder, decoder, ...later]) codec.delete();
  }
});

test('delete() twice is harmless and use after delete is a clear error', () => {
  const codec = new OpusCodec(8000);
  codec.delete();
  codec.delete();
  expect(() => codec.encode(tone)).toThrow('This Opus codec was deleted');
});
