/** Just enough WAV (RIFF, 16-bit PCM) for the IVR's prompt files. */

export interface PcmAudio {
  sampleRate: number;
  /** Mono, 16-bit. */
  samples: Int16Array;
}

export function parseWav(data: Buffer, source: string): PcmAudio {
  const fail = (why: string): never => {
    throw new Error(`${source} is not a usable prompt: ${why}`);
  };
  if (data.length < 12 || data.toString('ascii', 0, 4) !== 'RIFF' || data.toString('ascii', 8, 12) !== 'WAVE') fail('not a RIFF/WAVE file');
  let format: { channels: number; sampleRate: number; bits: number; code: number } | null = null;
  for (let offset = 12; offset + 8 <= data.length; ) {
    const id = data.toString('ascii', offset, offset + 4);
    const size = data.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && size >= 16) {
      format = { code: data.readUInt16LE(body), channels: data.readUInt16LE(body + 2), sampleRate: data.readUInt32LE(body + 4), bits: data.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!format) fail('data before fmt');
      const { code, channels, bits, sampleRate } = format!;
      if (code !== 1 || bits !== 16) fail(`format ${code}/${bits}-bit; expected 16-bit PCM`);
      const frames = Math.floor(Math.min(size, data.length - body) / (2 * channels));
      const samples = new Int16Array(frames);
      // Mix down rather than reject: a stereo prompt is still a prompt.
      for (let i = 0; i < frames; i++) {
        let sum = 0;
        for (let c = 0; c < channels; c++) sum += data.readInt16LE(body + (i * channels + c) * 2);
        samples[i] = Math.round(sum / channels);
      }
      return { sampleRate, samples };
    }
    offset = body + size + (size % 2);
  }
  return fail('no data chunk');
}

export function encodeWav(audio: PcmAudio): Buffer {
  const dataBytes = audio.samples.length * 2;
  const out = Buffer.alloc(44 + dataBytes);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(audio.sampleRate, 24);
  out.writeUInt32LE(audio.sampleRate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < audio.samples.length; i++) out.writeInt16LE(audio.samples[i]!, 44 + i * 2);
  return out;
}

/** Windowed-sinc resampling; only used offline and for odd-rate prompt files, so clarity beats speed. */
export function resample(audio: PcmAudio, toRate: number): PcmAudio {
  if (audio.sampleRate === toRate) return audio;
  const ratio = toRate / audio.sampleRate;
  const cutoff = Math.min(1, ratio) * 0.9;
  const halfTaps = 24;
  const input = audio.samples;
  const out = new Int16Array(Math.floor(input.length * ratio));
  for (let i = 0; i < out.length; i++) {
    const center = i / ratio;
    const first = Math.ceil(center - halfTaps / cutoff);
    const last = Math.floor(center + halfTaps / cutoff);
    let sum = 0;
    for (let j = Math.max(0, first); j <= Math.min(input.length - 1, last); j++) {
      const x = (j - center) * cutoff;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const window = 0.5 + 0.5 * Math.cos((Math.PI * x) / halfTaps);
      sum += input[j]! * cutoff * sinc * window;
    }
    out[i] = Math.max(-32768, Math.min(32767, Math.round(sum)));
  }
  return { sampleRate: toRate, samples: out };
}
