/** A place in a text, 1-based, as editors show it. */
export interface TextPosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON strings must not contain raw control characters.
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const SPACE = /[ \t\n\r]*/y;

class JsonScanner {
  private at = 0;

  constructor(private readonly text: string) {}

  /** Offset of the first syntax error, or -1 when the text is valid JSON. */
  scan(): number {
    try {
      this.value();
      this.space();
      return this.at === this.text.length ? -1 : this.at;
    } catch (error) {
      if (typeof error === 'number') return error;
      throw error;
    }
  }

  private space(): void {
    SPACE.lastIndex = this.at;
    SPACE.exec(this.text);
    this.at = SPACE.lastIndex;
  }

  private token(pattern: RegExp): void {
    pattern.lastIndex = this.at;
    if (!pattern.test(this.text)) throw this.at;
    this.at = pattern.lastIndex;
  }

  private expect(char: string): void {
    this.space();
    if (this.text[this.at] !== char) throw this.at;
    this.at++;
  }

  private value(): void {
    this.space();
    const char = this.text[this.at];
    if (char === '{') this.members('}', true);
    else if (char === '[') this.members(']', false);
    else if (char === '"') this.token(STRING);
    else if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) this.token(NUMBER);
    else {
      const word = ['true', 'false', 'null'].find((w) => this.text.startsWith(w, this.at));
      if (word === undefined) throw this.at;
      this.at += word.length;
    }
  }

  private members(close: string, keyed: boolean): void {
    this.at++;
    this.space();
    if (this.text[this.at] === close) {
      this.at++;
      return;
    }
    for (;;) {
      if (keyed) {
        this.space();
        if (this.text[this.at] !== '"') throw this.at;
        this.token(STRING);
        this.expect(':');
      }
      this.value();
      this.space();
      const char = this.text[this.at];
      this.at++;
      if (char === close) return;
      if (char !== ',') throw this.at - 1;
    }
  }
}

/**
 * Where the first JSON syntax error of `text` is, because Node 20's `JSON.parse` often says only
 * "Unexpected token" without a position; `undefined` when the text parses or nests too deep to scan.
 */
export function locateJsonError(text: string): TextPosition | undefined {
  let offset: number;
  try {
    offset = new JsonScanner(text).scan();
  } catch {
    return undefined;
  }
  if (offset < 0) return undefined;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { offset, line, column: offset - before.lastIndexOf('\n') };
}
