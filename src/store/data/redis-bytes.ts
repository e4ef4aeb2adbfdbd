/**
 * Byte helpers of the binary Redis forms (see redis-event-codec.ts): unsigned and signed
 * varints, length-prefixed text and raw bytes, written to and read from one Buffer. Redis
 * strings are binary-safe, and a varint keeps a number in as few bytes as it needs (an epoch
 * millisecond takes 6, a small delta 1), where its decimal or base-36 text took 8 to 13.
 *
 * Numbers are safe integers (what JavaScript represents exactly); the arithmetic is by
 * division, not bit operators, which would cut them to 32 bits.
 *
 * ```ts
 * const w = new ByteWriter();
 * w.int(-5).text('héllo');
 * const r = new ByteReader(w.done());
 * r.int(); // -5
 * r.text(); // 'héllo'
 * ```
 */
export class ByteWriter {
  private readonly chunks: Buffer[] = [];
  private readonly scratch: number[] = [];

  /** An unsigned varint (7 bits a byte, low first); a negative or unsafe integer is a RangeError. */
  uint(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not an unsigned safe integer: ${n}`);
    let rest = n;
    while (rest >= 0x80) {
      this.scratch.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.scratch.push(rest);
    return this;
  }

  /** A signed varint (zigzag: 0, -1, 1, -2 … as 0, 1, 2, 3 …, so a small negative stays short). */
  int(n: number): this {
    if (!Number.isSafeInteger(n) || !Number.isSafeInteger(Math.abs(n) * 2 + 1)) throw new RangeError(`not a signed integer this form holds: ${n}`);
    return this.uint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  /** Bytes as they are, their length known to the reader (fixed, or the rest of the value). */
  raw(bytes: Uint8Array): this {
    this.flush();
    this.chunks.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return this;
  }

  /** UTF-8 text, after its length in bytes. */
  text(s: string): this {
    const bytes = Buffer.from(s, 'utf8');
    return this.uint(bytes.length).raw(bytes);
  }

  /** Everything written, as one Buffer. */
  done(): Buffer {
    this.flush();
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
  }

  private flush(): void {
    if (!this.scratch.length) return;
    this.chunks.push(Buffer.from(this.scratch));
    this.scratch.length = 0;
  }
}

/** Reads what a {@link ByteWriter} wrote, in the same order; reading past the end is an Error. */
export class ByteReader {
  private at = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** An unsigned varint. */
  uint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      n += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 0x80;
      if (scale > Number.MAX_SAFE_INTEGER) throw new Error('varint too long');
    }
    return n;
  }

  /** A signed (zigzag) varint. */
  int(): number {
    const z = this.uint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /** The next `n` bytes. */
  raw(n: number): Buffer {
    if (this.at + n > this.bytes.length) throw new Error('binary value ends early');
    const out = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.at, n);
    this.at += n;
    return out;
  }

  /** Length-prefixed UTF-8 text. */
  text(): string {
    return this.raw(this.uint()).toString('utf8');
  }

  /** Every byte not read yet. */
  rest(): Buffer {
    return this.raw(this.bytes.length - this.at);
  }

  /** Whether every byte was read. */
  get ended(): boolean {
    return this.at === this.bytes.length;
  }

  private byte(): number {
    if (this.at >= this.bytes.length) throw new Error('binary value ends early');
    return this.bytes[this.at++];
  }
}

/**
 * Base64url text as bytes, when the bytes print back as that very text (no padding, no
 * stray bits in the last character), else undefined: the caller keeps the text.
 */
export function base64urlBytes(text: string, length?: number): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  if (length !== undefined && bytes.length !== length) return undefined;
  return bytes.toString('base64url') === text ? bytes : undefined;
}
