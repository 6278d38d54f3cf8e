import { expect, test } from '@playwright/test';
import { COLUMN_HZ, GoertzelDetector, ROW_HZ, dtmfTone } from '../../ivr/goertzel-detector.ts';

const RATE = 8000;
const DIGITS = '123A456B789C*0#D';

/** Deterministic noise, so a failure can be reproduced. */
function noise(length: number, rms: number, seed = 1): Float64Array {
  let state = seed;
  const random = () => ((state = (state * 1664525 + 1013904223) >>> 0) / 0x1_0000_0000);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i += 2) {
    // Box–Muller: Gaussian, like real line noise.
    const r = Math.sqrt(-2 * Math.log(random() + 1e-12));
    const theta = 2 * Math.PI * random();
    out[i] = rms * r * Math.cos(theta);
    if (i + 1 < length) out[i + 1] = rms * r * Math.sin(theta);
  }
  return out;
}

function silence(ms: number): Float64Array {
  return new Float64Array((RATE * ms) / 1000);
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function sine(hz: number[], ms: number, amplitude = 8000): Float64Array {
  const out = new Float64Array((RATE * ms) / 1000);
  for (let i = 0; i < out.length; i++) out[i] = hz.reduce((sum, f) => sum + amplitude * Math.sin((2 * Math.PI * f * i) / RATE), 0);
  return out;
}

function detect(signal: Float64Array, chunk = 160): string {
  const detector = new GoertzelDetector({ sampleRate: RATE });
  let digits = '';
  for (let i = 0; i < signal.length; i += chunk) for (const tone of detector.push(signal.subarray(i, i + chunk))) digits += tone.digit;
  return digits;
}

const rms = (signal: Float64Array) => Math.sqrt(signal.reduce((s, x) => s + x * x, 0) / signal.length);

test('each of the 16 digits is detected once', () => {
  for (const digit of DIGITS) {
    expect(detect(concat([silence(50), dtmfTone(digit, { sampleRate: RATE, durationMs: 100 }), silence(50)])), digit).toBe(digit);
  }
});

test('detected in white noise at 10 dB SNR', () => {
  for (const digit of DIGITS) {
    const tone = concat([silence(60), dtmfTone(digit, { sampleRate: RATE, durationMs: 100, amplitude: 3000 }), silence(60)]);
    const toneRms = rms(dtmfTone(digit, { sampleRate: RATE, durationMs: 100, amplitude: 3000 }));
    const hiss = noise(tone.length, toneRms / Math.sqrt(10), digit.charCodeAt(0));
    expect(detect(tone.map((x, i) => x + hiss[i]!)), digit).toBe(digit);
  }
});

test('still detected with ±1.5% frequency error and 6 dB twist', () => {
  for (const [rowIndex, row] of ROW_HZ.entries()) {
    for (const [columnIndex, column] of COLUMN_HZ.entries()) {
      const digit = ['123A', '456B', '789C', '*0#D'][rowIndex]![columnIndex]!;
      const off = concat([sine([row * 1.015], 80, 4000).map((x, i) => x + sine([column * 0.985], 80, 8000)[i]!), silence(40)]);
      expect(detect(off), digit).toBe(digit);
    }
  }
});

test('near-miss frequencies (±4.5%) are not detected', () => {
  for (const factor of [0.955, 1.045]) {
    for (const row of ROW_HZ) {
      for (const column of COLUMN_HZ) {
        expect(detect(concat([sine([row * factor, column * factor], 100), silence(40)])), `${row}/${column} × ${factor}`).toBe('');
      }
    }
  }
});

test('silence, noise, single tones, chords outside the grid and speech-like sound are not digits', () => {
  expect(detect(silence(500))).toBe('');
  expect(detect(noise(RATE, 3000))).toBe('');
  for (const hz of [...ROW_HZ, ...COLUMN_HZ, 1000, 440]) expect(detect(sine([hz], 200)), `${hz} Hz`).toBe('');
  expect(detect(sine([697, 770], 200)), 'two rows').toBe('');
  expect(detect(sine([1209, 1336], 200)), 'two columns').toBe('');
  // A voiced vowel: a 120–140 Hz gliding fundamental with harmonics shaped by two formants.
  const vowel = new Float64Array(RATE);
  let phase = 0;
  for (let i = 0; i < vowel.length; i++) {
    const f0 = 120 + 20 * Math.sin((2 * Math.PI * 3 * i) / RATE);
    phase += (2 * Math.PI * f0) / RATE;
    for (let h = 1; h * f0 < 3800; h++) {
      const hz = h * f0;
      const formants = Math.exp(-(((hz - 700) / 150) ** 2)) + 0.6 * Math.exp(-(((hz - 1220) / 200) ** 2)) + 0.05;
      vowel[i] = vowel[i]! + 3000 * formants * Math.sin(h * phase);
    }
  }
  expect(detect(vowel), 'vowel').toBe('');
});

test('40 ms tones with 30 ms gaps give exactly the sequence, repeated digits included', () => {
  const sequence = '1234567890*#ABCD112233##';
  const parts: Float64Array[] = [silence(30)];
  for (const digit of sequence) parts.push(dtmfTone(digit, { sampleRate: RATE, durationMs: 40, amplitude: 5000 }), silence(30));
  const signal = concat(parts);
  // Chunk sizes that do not line up with the windows, as RTP frames of another codec would not.
  for (const chunk of [160, 37, 1000]) expect(detect(signal, chunk), `chunks of ${chunk}`).toBe(sequence);
  const hiss = noise(signal.length, 300, 7);
  expect(detect(signal.map((x, i) => x + hiss[i]!)), 'with noise').toBe(sequence);
});

test('a tone shorter than the minimum duration is ignored', () => {
  expect(detect(concat([silence(40), dtmfTone('5', { sampleRate: RATE, durationMs: 20 }), silence(40)]))).toBe('');
});
