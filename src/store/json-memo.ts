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
      text = JSON.stringify(value);
      this.byValue.set(value, text);
      if (forParse) this.remember(text, value);
    }
    return text;
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
