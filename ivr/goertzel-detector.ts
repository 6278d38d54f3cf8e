/**
 * In-band DTMF detection: Goertzel filters at the eight DTMF frequencies over
 * 20 ms windows that slide by 5 ms, so a 40 ms tone and a 30 ms gap each
 * fill several whole windows wherever they fall.
 */

export const ROW_HZ = [697, 770, 852, 941] as const;
export const COLUMN_HZ = [1209, 1336, 1477, 1633] as const;
const KEYS = ['123A', '456B', '789C', '*0#D'];

export interface GoertzelOptions {
  sampleRate: number;
  windowMs?: number;
  hopMs?: number;
  /**
   * Consecutive detecting windows before a digit counts. A window only detects
   * when the tone fills both its halves, so with 20 ms windows and 5 ms hops,
   * 5 windows take a tone of about 35–40 ms; 20 ms blips never get there.
   */
  minOnWindows?: number;
  /** Consecutive quiet windows needed between two reports. */
  minOffWindows?: number;
  /** Each tone must hold at least this share of the window's energy (1 = a lone pure tone). */
  minToneShare?: number;
  /** Row and column together must hold this share: speech and off-frequency tones spread wider. */
  minPairShare?: number;
  /** The strongest bin of a group must beat the runner-up by this factor. */
  minGroupDominance?: number;
  /** Column louder than row, at most (dB). */
  maxNormalTwistDb?: number;
  /** Row louder than column, at most (dB). */
  maxReverseTwistDb?: number;
  /** Window RMS below this (full scale 32768) is silence. */
  minRms?: number;
  /** The quieter half of a window must have at least this share of the louder half's energy. */
  minHalfBalance?: number;
}

export interface DetectedTone {
  digit: string;
  /** Where the tone was first seen, in samples since the detector started. */
  startSample: number;
}

export class GoertzelDetector {
  private readonly window: number;
  private readonly hop: number;
  private readonly coefficients: { rows: number[]; columns: number[] };
  private readonly options: Required<GoertzelOptions>;
  /** The last `window` samples, oldest at `writeIndex`. */
  private readonly ring: Float64Array;
  private readonly linear: Float64Array;
  private writeIndex = 0;
  private consumed = 0;
  private candidate: string | null = null;
  private candidateWindows = 0;
  private candidateStart = 0;
  private reported: string | null = null;
  private offWindows = Number.POSITIVE_INFINITY;

  constructor(options: GoertzelOptions) {
    this.options = {
      windowMs: 20,
      hopMs: 5,
      minOnWindows: 5,
      minOffWindows: 2,
      minToneShare: 0.12,
      minPairShare: 0.4,
      minGroupDominance: 4,
      maxNormalTwistDb: 8,
      maxReverseTwistDb: 8,
      minRms: 100,
      minHalfBalance: 0.5,
      ...options,
    };
    this.window = Math.round((options.sampleRate * this.options.windowMs) / 1000);
    this.hop = Math.round((options.sampleRate * this.options.hopMs) / 1000);
    const coefficient = (hz: number) => 2 * Math.cos((2 * Math.PI * hz) / options.sampleRate);
    this.coefficients = { rows: ROW_HZ.map(coefficient), columns: COLUMN_HZ.map(coefficient) };
    this.ring = new Float64Array(this.window);
    this.linear = new Float64Array(this.window);
  }

  /** Feed audio; returns the digits whose tones became long enough in it. */
  push(samples: ArrayLike<number>): DetectedTone[] {
    const found: DetectedTone[] = [];
    for (let i = 0; i < samples.length; i++) {
      this.ring[this.writeIndex] = samples[i]!;
      this.writeIndex = (this.writeIndex + 1) % this.window;
      this.consumed++;
      if (this.consumed < this.window || (this.consumed - this.window) % this.hop !== 0) continue;
      for (let j = 0; j < this.window; j++) this.linear[j] = this.ring[(this.writeIndex + j) % this.window]!;
      const tone = this.step(classifyWindow(this.linear, this.coefficients, this.options));
      if (tone) found.push(tone);
    }
    return found;
  }

  private step(digit: string | null): DetectedTone | null {
    if (digit === null) {
      this.candidate = null;
      this.candidateWindows = 0;
      if (++this.offWindows >= this.options.minOffWindows) this.reported = null;
      return null;
    }
    if (digit !== this.candidate) {
      this.candidate = digit;
      this.candidateWindows = 0;
      this.candidateStart = this.consumed - this.window;
    }
    this.candidateWindows++;
    const rested = this.reported === null;
    if (this.candidateWindows < this.options.minOnWindows || !rested) return null;
    this.reported = digit;
    this.offWindows = 0;
    return { digit, startSample: this.candidateStart };
  }
}

function goertzelPower(samples: Float64Array, coefficient: number): number {
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const s0 = samples[i]! + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
}

function strongest(powers: number[]): { index: number; power: number; runnerUp: number } {
  let index = 0;
  for (let i = 1; i < powers.length; i++) if (powers[i]! > powers[index]!) index = i;
  const runnerUp = Math.max(...powers.filter((_, i) => i !== index));
  return { index, power: powers[index]!, runnerUp };
}

/** The digit this window holds, or null: all the usual DTMF validity checks in one place. */
export function classifyWindow(
  samples: Float64Array,
  coefficients: { rows: number[]; columns: number[] },
  options: Required<GoertzelOptions>,
): string | null {
  const n = samples.length;
  const half = n >> 1;
  let firstHalf = 0;
  let secondHalf = 0;
  for (let i = 0; i < n; i++) {
    if (i < half) firstHalf += samples[i]! * samples[i]!;
    else secondHalf += samples[i]! * samples[i]!;
  }
  const energy = firstHalf + secondHalf;
  if (Math.sqrt(energy / n) < options.minRms) return null;
  // Silence adds no energy, so without this a window half full of tone would pass every share test below.
  if (Math.min(firstHalf, secondHalf) < Math.max(firstHalf, secondHalf) * options.minHalfBalance) return null;
  // A pure tone holding all the energy E gives Goertzel power E·N/2: normalise to a share of 1.
  const share = (power: number) => power / ((energy * n) / 2);
  const row = strongest(coefficients.rows.map((c) => goertzelPower(samples, c)));
  const column = strongest(coefficients.columns.map((c) => goertzelPower(samples, c)));
  const rowShare = share(row.power);
  const columnShare = share(column.power);
  if (rowShare < options.minToneShare || columnShare < options.minToneShare) return null;
  if (rowShare + columnShare < options.minPairShare) return null;
  if (row.power < row.runnerUp * options.minGroupDominance) return null;
  if (column.power < column.runnerUp * options.minGroupDominance) return null;
  const twistDb = 10 * Math.log10(column.power / row.power);
  if (twistDb > options.maxNormalTwistDb || -twistDb > options.maxReverseTwistDb) return null;
  return KEYS[row.index]![column.index]!;
}

/** A dual tone for `digit`, for tests, benchmarks and in-band sending. */
export function dtmfTone(digit: string, options: { sampleRate: number; durationMs: number; amplitude?: number }): Float64Array {
  const rowIndex = KEYS.findIndex((keys) => keys.includes(digit));
  if (rowIndex < 0 || digit.length !== 1) throw new Error(`Not a DTMF digit: "${digit}"`);
  const low = ROW_HZ[rowIndex]!;
  const high = COLUMN_HZ[KEYS[rowIndex]!.indexOf(digit)]!;
  const amplitude = options.amplitude ?? 8000;
  const length = Math.round((options.sampleRate * options.durationMs) / 1000);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const t = i / options.sampleRate;
    out[i] = amplitude * (Math.sin(2 * Math.PI * low * t) + Math.sin(2 * Math.PI * high * t));
  }
  return out;
}
