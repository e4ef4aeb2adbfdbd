import { deepFreeze } from '../core/frozen';

/**
 * JSON for the immutable values stores deal in, remembered both ways. A frozen value never
 * changes, so neither does its JSON: a profile written turn after turn shares most of its
 * parts with the one before (its recent items, its purchases, its traits), and those parts
 * are stringified once, not on every write. The other way, a long text read back (or written
 * through a cache) parses to the same frozen value it came from, which keeps the sharing going
 * from one turn to the next.
 *
 * ```ts
 * const memo = new JsonMemo();
 * const text = memo.stringify(frozenItems); // computed once per value
 * memo.parse(text) === frozenItems;         // true while remembered
 * ```
 */
export class JsonMemo {
  private readonly byValue = new WeakMap<object, string>();
  /** Texts to values, oldest first; bounded, so a long-running store holds a fixed amount. */
  private readonly byText = new Map<string, unknown>();

  constructor(
    /** How many texts are remembered for parsing. */
    private readonly maxTexts = 1024,
    /** Shorter texts parse faster than they are looked up: they are not remembered. */
    private readonly minLength = 128,
  ) {}

  /**
   * `JSON.stringify(value)`, remembered for frozen objects and arrays (frozen in depth, as stores
   * freeze them). With `forParse` false the text is remembered for this value only, not for
   * {@link JsonMemo.parse}: a text that is about to be encrypted is never read back as it is, and
   * remembering it would only hash a long string per write and push out texts that are.
   */
  stringify(value: unknown, forParse = true): string {
    if (typeof value !== 'object' || value === null || !Object.isFrozen(value)) return JSON.stringify(value);
    let text = this.byValue.get(value);
    if (text === undefined) {
      text = this.composed(value) ?? JSON.stringify(value);
      this.byValue.set(value, text);
      if (forParse) this.remember(text, value);
    }
    return text;
  }

  /**
   * The JSON of a list or plain record whose every element is itself an object, joined from its
   * elements' remembered JSON; undefined for anything else (then `JSON.stringify` whole). A
   * profile's recent items, or its recent times by name, are a new list or record on every
   * event, but all of their elements save one or two are the frozen ones of the profile before:
   * joining those texts costs a twentieth of stringifying them again. The text is exactly
   * `JSON.stringify`'s: the same keys in the same order (own enumerable, as `Object.keys` gives
   * them), the same separators; a value with a `toJSON` of its own, or a prototype that is not
   * a plain record's, is left to `JSON.stringify`.
   */
  private composed(value: object): string | undefined {
    if (!isPlainData(value)) return undefined;
    if (Array.isArray(value)) {
      const n = value.length;
      if (n === 0) return undefined;
      for (let i = 0; i < n; i++) if (!isComposable(value[i])) return undefined;
      let text = '[';
      for (let i = 0; i < n; i++) text += (i ? ',' : '') + this.stringify(value[i], false);
      return text + ']';
    }
    const record = value as Readonly<Record<string, unknown>>;
    const keys = Object.keys(record);
    if (keys.length === 0) return undefined;
    for (const k of keys) if (!isComposable(record[k])) return undefined;
    let text = '{';
    for (let i = 0; i < keys.length; i++) text += (i ? ',' : '') + JSON.stringify(keys[i]) + ':' + this.stringify(record[keys[i]], false);
    return text + '}';
  }

  /** `JSON.parse(text)`, frozen in depth; a remembered long text gives back the same value. */
  parse(text: string): unknown {
    if (text.length < this.minLength) return deepFreeze(JSON.parse(text) as unknown);
    const known = this.byText.get(text);
    if (known !== undefined) return known;
    const value = deepFreeze(JSON.parse(text) as unknown);
    if (typeof value === 'object' && value !== null) {
      this.byValue.set(value, text);
      this.remember(text, value);
    }
    return value;
  }

  private remember(text: string, value: unknown): void {
    if (text.length < this.minLength) return;
    this.byText.set(text, value);
    if (this.byText.size > this.maxTexts) this.byText.delete(this.byText.keys().next().value as string);
  }
}

/**
 * Whether an element is joined by its remembered JSON: a frozen list or plain record (a
 * primitive is cheaper to stringify in place, and anything else is left to `JSON.stringify`).
 */
function isComposable(v: unknown): v is object {
  return typeof v === 'object' && v !== null && Object.isFrozen(v) && isPlainData(v);
}

/**
 * A list or a plain record with no `toJSON` of its own: `JSON.stringify` spells it from its
 * elements alone (a `toJSON`, as a `Date` or a class may have, is called with its key, which a
 * remembered text cannot know).
 */
function isPlainData(v: object): boolean {
  const proto: unknown = Object.getPrototypeOf(v);
  return (proto === Array.prototype || proto === Object.prototype || proto === null) && !Object.hasOwn(v, 'toJSON');
}
