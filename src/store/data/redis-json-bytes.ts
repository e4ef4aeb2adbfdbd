import { ByteReader, ByteWriter, base64urlBytes } from './redis-bytes';

/**
 * JSON text in bytes, for the binary profile (see redis-profile-binary.ts): a tagged tree
 * whose numbers are varints (integers) or 8-byte doubles (a decayed weight such as
 * `0.9999948426682053` is 18 characters of text), whose ISO times are varints of their
 * distance from the time written before them (a {@link TimeRef} the writer and the reader
 * carry along: a profile's times are close to one another, two bytes apart), whose
 * sealed strings (`"enc:v1:<kid>:<iv>:<tag>:<ciphertext>"`, see privacy/cipher.ts) are their
 * raw bytes, and whose object keys the profile repeats (`id`, `weight`, `at`) are one byte.
 *
 * It is decoded to JSON text directly (never to objects, so a key such as `__proto__` is just
 * text), as JSON.stringify would print it. So it gives back exactly the text it was made of
 * only when that text is JSON.stringify's own; {@link writeJson} checks this where it is
 * taken, and keeps any other text as it is (tag `Text`).
 *
 * ```ts
 * const w = new ByteWriter();
 * writeJson(w, '{"a":0.5,"at":"2026-01-01T00:00:00.000Z"}');
 * readJson(new ByteReader(w.done())); // the same text
 * ```
 */

const Tag = { Null: 0, False: 1, True: 2, Int: 3, Double: 4, String: 5, Time: 6, Sealed: 7, Array: 8, Object: 9, Text: 10, SmallArray: 16, SmallObject: 32 } as const;
/** Arrays and objects of fewer items than this have their count in their tag (`SmallArray + n`): one byte, not two. */
const SMALL = 16;
/** Object keys written as one byte (their index + 1; 0 is a key in full). The order is the format: append only. */
const KEYS = ['id', 'weight', 'at', 'variant', 'bucketVersion', 'assignedAt', 'exposedAt', 'convertedAt', 'flow', 'status', 'answers', 'sessions'] as const;
const KEY_CODE: ReadonlyMap<string, number> = new Map(KEYS.map((k, i) => [k, i + 1]));
/**
 * The time (epoch ms) written last, shared by the values of one binary record in write order:
 * each time is written as its distance from it. A reader starts from the same value as the
 * writer did (0 for a new record) and reads the values in the same order.
 */
export interface TimeRef {
  last: number;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SEALED = /^enc:v1:([A-Za-z0-9]{1,16}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]*)$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Deeper than any profile goes; past it the value is kept as text (no deep recursion on odd input). */
const MAX_DEPTH = 32;

/**
 * Encodings remembered (a bounded map, emptied when full): most of a profile is the same text
 * from one write to the next (its sealed parts, its weights, often its recent items), and
 * encoding and checking it again was most of a write's encoding time. A text without times is
 * remembered by itself (its tree is the same whatever the reference); one with times, with
 * the reference it was written from, and where that left the reference.
 */
const REMEMBERED = 20_000;
const remembered = new Map<string, { tree: Buffer; last?: number }>();

/** Writes one JSON text: as a tree when that reads back as this very text, else as the text. */
export function writeJson(w: ByteWriter, text: string, ref: TimeRef = { last: 0 }): void {
  const timed = `${ref.last}\u0000${text}`;
  const known = remembered.get(text) ?? remembered.get(timed);
  if (known !== undefined) {
    w.raw(known.tree);
    if (known.last !== undefined) ref.last = known.last;
    return;
  }
  let tree: Buffer | undefined;
  const wrote = { ...ref };
  try {
    const t = new ByteWriter();
    tree = writeValue(t, JSON.parse(text) as unknown, 0, wrote) ? t.done() : undefined;
  } catch {
    tree = undefined;
  }
  if (tree === undefined || readJson(new ByteReader(tree), { ...ref }) !== text) tree = new ByteWriter().uint(Tag.Text).text(text).done();
  else ref.last = wrote.last;
  w.raw(tree);
  if (remembered.size >= REMEMBERED) remembered.clear();
  if (!hasTime(tree)) remembered.set(text, { tree });
  else remembered.set(timed, { tree, last: ref.last });
}

/**
 * Whether an encoded value (already read back once) holds a time: read from no reference
 * (NaN), a time is no date, and only a time makes reading it throw.
 */
function hasTime(tree: Buffer): boolean {
  try {
    readJson(new ByteReader(tree), { last: Number.NaN });
    return false;
  } catch {
    return true;
  }
}

/** Reads one JSON text written by {@link writeJson}. */
export function readJson(r: ByteReader, ref: TimeRef = { last: 0 }): string {
  const tag = r.uint();
  if (tag >= Tag.SmallArray && tag < Tag.SmallArray + SMALL) return readArray(r, tag - Tag.SmallArray, ref);
  if (tag >= Tag.SmallObject && tag < Tag.SmallObject + SMALL) return readObject(r, tag - Tag.SmallObject, ref);
  switch (tag) {
    case Tag.Null:
      return 'null';
    case Tag.False:
      return 'false';
    case Tag.True:
      return 'true';
    case Tag.Int:
      return String(r.int());
    case Tag.Double:
      return JSON.stringify(r.raw(8).readDoubleLE(0));
    case Tag.String:
      return JSON.stringify(r.text());
    case Tag.Time:
      ref.last += r.int();
      return JSON.stringify(new Date(ref.last).toISOString());
    case Tag.Sealed: {
      const kid = r.text();
      const iv = r.raw(IV_BYTES).toString('base64url');
      const mac = r.raw(TAG_BYTES).toString('base64url');
      return JSON.stringify(`enc:v1:${kid}:${iv}:${mac}:${r.raw(r.uint()).toString('base64url')}`);
    }
    case Tag.Array:
      return readArray(r, r.uint(), ref);
    case Tag.Object:
      return readObject(r, r.uint(), ref);
    case Tag.Text:
      return r.text();
    default:
      throw new Error('binary JSON has an unknown tag');
  }
}

function readArray(r: ByteReader, n: number, ref: TimeRef): string {
  const items: string[] = [];
  for (let i = 0; i < n; i++) items.push(readJson(r, ref));
  return `[${items.join(',')}]`;
}

function readObject(r: ByteReader, n: number, ref: TimeRef): string {
  const pairs: string[] = [];
  for (let i = 0; i < n; i++) {
    const code = r.uint();
    const key = code === 0 ? r.text() : KEYS[code - 1];
    if (key === undefined) throw new Error('binary JSON has an unknown key code');
    pairs.push(`${JSON.stringify(key)}:${readJson(r, ref)}`);
  }
  return `{${pairs.join(',')}}`;
}

/** Writes a parsed value as a tree; false when it holds what the tree does not (the caller keeps the text). */
function writeValue(w: ByteWriter, v: unknown, depth: number, ref: TimeRef): boolean {
  if (depth > MAX_DEPTH) return false;
  if (v === null) w.uint(Tag.Null);
  else if (v === true) w.uint(Tag.True);
  else if (v === false) w.uint(Tag.False);
  else if (typeof v === 'number') {
    // Zigzag doubles an integer, so only those of up to 52 bits are varints; the rest are doubles.
    if (Number.isSafeInteger(v) && Math.abs(v) < 2 ** 52 && !Object.is(v, -0)) w.uint(Tag.Int).int(v);
    else w.uint(Tag.Double).raw(double(v));
  } else if (typeof v === 'string') writeString(w, v, ref);
  else if (Array.isArray(v)) {
    if (v.length < SMALL) w.uint(Tag.SmallArray + v.length);
    else w.uint(Tag.Array).uint(v.length);
    for (const item of v) if (!writeValue(w, item, depth + 1, ref)) return false;
  } else if (typeof v === 'object') {
    const record = v as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length < SMALL) w.uint(Tag.SmallObject + keys.length);
    else w.uint(Tag.Object).uint(keys.length);
    for (const k of keys) {
      const code = KEY_CODE.get(k);
      if (code === undefined) w.uint(0).text(k);
      else w.uint(code);
      if (!writeValue(w, record[k], depth + 1, ref)) return false;
    }
  } else return false;
  return true;
}

function writeString(w: ByteWriter, s: string, ref: TimeRef): void {
  if (ISO.test(s)) {
    const ms = Date.parse(s);
    // A distance past what a varint holds (times ~270,000 years apart) throws: the caller keeps the text.
    if (Number.isSafeInteger(ms) && new Date(ms).toISOString() === s) {
      w.uint(Tag.Time).int(ms - ref.last);
      ref.last = ms;
      return;
    }
  }
  const sealed = SEALED.exec(s);
  if (sealed) {
    const iv = base64urlBytes(sealed[2], IV_BYTES);
    const mac = base64urlBytes(sealed[3], TAG_BYTES);
    const body = base64urlBytes(sealed[4]);
    if (iv && mac && body) {
      w.uint(Tag.Sealed).text(sealed[1]).raw(iv).raw(mac).uint(body.length).raw(body);
      return;
    }
  }
  w.uint(Tag.String).text(s);
}

function double(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(n, 0);
  return b;
}
