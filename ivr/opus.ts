/**
 * opusscript, made safe for many codecs in one process. Every OpusScript
 * shares one WebAssembly memory; when a new instance makes it grow, the
 * typed-array views older instances hold become detached and their encode
 * and decode fail ("Bad argument", "Invalid packet"). Before each use we
 * check the views and, if detached, rebuild them over the current memory at
 * the same pointers, exactly as opusscript's constructor lays them out.
 */
import OpusScript from 'opusscript';

const MAX_PACKET_SIZE = 3828;

interface OpusScriptInternals {
  inPCM: Uint16Array;
  inPCMPointer: number;
  inPCMLength: number;
  inOpus: Uint8Array;
  inOpusPointer: number;
  outOpus: Uint8Array;
  outOpusPointer: number;
  outPCM: Uint16Array;
  outPCMPointer: number;
  outPCMLength: number;
}

function currentMemory(): ArrayBufferLike {
  const probe = new OpusScript(8000, 1);
  const buffer = (probe as unknown as OpusScriptInternals).inPCM.buffer;
  probe.delete();
  return buffer;
}

function ensureAttached(codec: OpusScript): void {
  const internals = codec as unknown as OpusScriptInternals;
  if (internals.inPCM.length !== 0) return;
  const memory = currentMemory();
  const u16 = new Uint16Array(memory);
  const u8 = new Uint8Array(memory);
  // opusscript indexes its 16-bit views by byte pointer; mirror it so its byteOffset arithmetic still holds.
  internals.inPCM = u16.subarray(internals.inPCMPointer, internals.inPCMPointer + internals.inPCMLength);
  internals.outPCM = u16.subarray(internals.outPCMPointer, internals.outPCMPointer + internals.outPCMLength);
  internals.inOpus = u8.subarray(internals.inOpusPointer, internals.inOpusPointer + MAX_PACKET_SIZE);
  internals.outOpus = u8.subarray(internals.outOpusPointer, internals.outOpusPointer + MAX_PACKET_SIZE);
}

/** Mono Opus at `sampleRate` in and out; the RTP clock of Opus stays 48 kHz whatever this rate. */
export class OpusCodec {
  private readonly codec: OpusScript;
  /** Native memory is shared by every codec: a use or free after delete() would corrupt the others. */
  private deleted = false;

  constructor(private readonly sampleRate: 8000 | 48000) {
    this.codec = new OpusScript(sampleRate, 1, OpusScript.Application.VOIP);
  }

  encode(frame: Int16Array): Buffer {
    this.assertLive();
    ensureAttached(this.codec);
    return this.codec.encode(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength), (this.sampleRate * 20) / 1000);
  }

  decode(payload: Buffer): Int16Array {
    this.assertLive();
    ensureAttached(this.codec);
    const pcm = this.codec.decode(payload);
    return new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength));
  }

  delete(): void {
    if (this.deleted) return;
    this.deleted = true;
    this.codec.delete();
  }

  private assertLive(): void {
    if (this.deleted) throw new Error('This Opus codec was deleted');
  }
}
