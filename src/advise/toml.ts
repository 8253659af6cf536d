/**
 * A small TOML reader for the project files detection needs (pyproject.toml, Cargo.toml,
 * rust-toolchain.toml, uv.lock, poetry.lock, pdm.lock, Pipfile, mise.toml). It follows TOML
 * 1.0 (https://toml.io/en/v1.0.0): tables, arrays of tables, dotted keys, all four string
 * forms, arrays and inline tables (newlines inside inline tables are accepted, as TOML 1.1
 * allows). Dates and times are kept as their text: nothing here needs them as dates.
 */

export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

export class TomlError extends Error {
  constructor(message: string, line: number) {
    super(`line ${line}: ${message}`);
    this.name = "TomlError";
  }
}

export function parseToml(text: string): TomlTable {
  return new TomlReader(text.replace(/^\uFEFF/, "")).document();
}

/** `table.a.b` as a table, or undefined when any step is missing or not a table. */
export function tomlTable(root: TomlTable | undefined, ...path: string[]): TomlTable | undefined {
  let node: TomlValue | undefined = root;
  for (const key of path) {
    if (!isTable(node)) return undefined;
    node = node[key];
  }
  return isTable(node) ? node : undefined;
}

export function tomlString(root: TomlTable | undefined, ...path: string[]): string | undefined {
  const parent = tomlTable(root, ...path.slice(0, -1));
  const value = parent?.[path[path.length - 1]!];
  return typeof value === "string" ? value : undefined;
}

export function tomlArray(root: TomlTable | undefined, ...path: string[]): TomlValue[] {
  const parent = tomlTable(root, ...path.slice(0, -1));
  const value = parent?.[path[path.length - 1]!];
  return Array.isArray(value) ? value : [];
}

export function isTable(value: TomlValue | undefined): value is TomlTable {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const BARE_KEY = /[A-Za-z0-9_-]/;

class TomlReader {
  private pos = 0;
  private line = 1;
  private readonly root: TomlTable = {};
  private current: TomlTable = this.root;
  /** Tables created by a [header] (redefining one is an error in TOML; we only track arrays). */
  private readonly arrayTables = new Set<TomlValue[]>();

  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  document(): TomlTable {
    while (this.pos < this.text.length) {
      this.skipBlank();
      if (this.pos >= this.text.length) break;
      const c = this.text[this.pos];
      if (c === "[") this.header();
      else this.keyValue(this.current);
      this.endOfLine();
    }
    return this.root;
  }

  private fail(message: string): never {
    throw new TomlError(message, this.line);
  }

  /** Whitespace, newlines and comments. */
  private skipBlank(): void {
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === "\n") {
        this.line++;
        this.pos++;
      } else if (c === " " || c === "\t" || c === "\r") this.pos++;
      else if (c === "#") this.skipComment();
      else break;
    }
  }

  private skipSpaces(): void {
    while (this.text[this.pos] === " " || this.text[this.pos] === "\t") this.pos++;
  }

  private skipComment(): void {
    while (this.pos < this.text.length && this.text[this.pos] !== "\n") this.pos++;
  }

  private endOfLine(): void {
    this.skipSpaces();
    if (this.text[this.pos] === "#") this.skipComment();
    if (this.text[this.pos] === "\r") this.pos++;
    if (this.pos < this.text.length && this.text[this.pos] !== "\n") this.fail("expected end of line");
  }

  private header(): void {
    const isArray = this.text.startsWith("[[", this.pos);
    this.pos += isArray ? 2 : 1;
    this.skipSpaces();
    const keys = this.dottedKey();
    this.skipSpaces();
    if (!this.text.startsWith(isArray ? "]]" : "]", this.pos)) this.fail("unclosed table header");
    this.pos += isArray ? 2 : 1;
    let table = this.root;
    for (const key of keys.slice(0, -1)) table = this.descend(table, key);
    const last = keys[keys.length - 1]!;
    if (isArray) {
      let list = table[last];
      if (list === undefined) {
        list = [];
        table[last] = list;
        this.arrayTables.add(list);
      }
      if (!Array.isArray(list) || !this.arrayTables.has(list)) this.fail(`${last} is not an array of tables`);
      const entry: TomlTable = {};
      list.push(entry);
      this.current = entry;
    } else {
      this.current = this.descend(table, last);
    }
  }

  /** The table at `key` in `table`, created when missing; the last entry of an array of tables. */
  private descend(table: TomlTable, key: string): TomlTable {
    const existing = table[key];
    if (existing === undefined) {
      const created: TomlTable = {};
      table[key] = created;
      return created;
    }
    if (Array.isArray(existing) && this.arrayTables.has(existing)) {
      const last = existing[existing.length - 1];
      if (isTable(last)) return last;
    }
    if (isTable(existing)) return existing;
    return this.fail(`${key} is not a table`);
  }

  private keyValue(table: TomlTable): void {
    const keys = this.dottedKey();
    this.skipSpaces();
    if (this.text[this.pos] !== "=") this.fail("expected = after a key");
    this.pos++;
    this.skipSpaces();
    const value = this.value();
    let target = table;
    for (const key of keys.slice(0, -1)) target = this.descend(target, key);
    const last = keys[keys.length - 1]!;
    if (Object.hasOwn(target, last)) this.fail(`duplicate key ${last}`);
    target[last] = value;
  }

  private dottedKey(): string[] {
    const keys = [this.simpleKey()];
    for (;;) {
      this.skipSpaces();
      if (this.text[this.pos] !== ".") return keys;
      this.pos++;
      this.skipSpaces();
      keys.push(this.simpleKey());
    }
  }

  private simpleKey(): string {
    const c = this.text[this.pos];
    if (c === '"') return this.basicString();
    if (c === "'") return this.literalString();
    const start = this.pos;
    while (this.pos < this.text.length && BARE_KEY.test(this.text[this.pos]!)) this.pos++;
    if (this.pos === start) this.fail("expected a key");
    return this.text.slice(start, this.pos);
  }

  private value(): TomlValue {
    const c = this.text[this.pos];
    if (c === '"') return this.text.startsWith('"""', this.pos) ? this.multilineBasic() : this.basicString();
    if (c === "'")
      return this.text.startsWith("'''", this.pos) ? this.multilineLiteral() : this.literalString();
    if (c === "[") return this.array();
    if (c === "{") return this.inlineTable();
    if (this.text.startsWith("true", this.pos)) {
      this.pos += 4;
      return true;
    }
    if (this.text.startsWith("false", this.pos)) {
      this.pos += 5;
      return false;
    }
    return this.scalar();
  }

  /** Numbers, dates and times: read up to the next delimiter. */
  private scalar(): TomlValue {
    const match = /^[0-9A-Za-z_+\-.:]+(?:[ T][0-9:.]+(?:Z|[+-][0-9:]+)?)?/.exec(this.text.slice(this.pos));
    if (!match) this.fail("expected a value");
    const word = match[0];
    this.pos += word.length;
    const plain = word.replace(/_/g, "");
    if (/^[+-]?(?:0|[1-9]\d*)$/.test(plain)) return Number(plain);
    if (/^0x[0-9a-fA-F]+$/.test(plain)) return Number.parseInt(plain.slice(2), 16);
    if (/^0o[0-7]+$/.test(plain)) return Number.parseInt(plain.slice(2), 8);
    if (/^0b[01]+$/.test(plain)) return Number.parseInt(plain.slice(2), 2);
    if (/^[+-]?(?:inf|nan)$/.test(plain))
      return plain.endsWith("inf") ? (plain.startsWith("-") ? -1 : 1) * Infinity : Number.NaN;
    if (/^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(plain)) return Number(plain);
    if (/^\d{4}-\d{2}-\d{2}|^\d{2}:\d{2}/.test(word)) return word;
    return this.fail(`invalid value ${word}`);
  }

  private basicString(): string {
    this.pos++;
    let out = "";
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined || c === "\n") this.fail("unterminated string");
      this.pos++;
      if (c === '"') return out;
      out += c === "\\" ? this.escape() : c;
    }
  }

  private escape(): string {
    const c = this.text[this.pos++];
    switch (c) {
      case "b":
        return "\b";
      case "t":
        return "\t";
      case "n":
        return "\n";
      case "f":
        return "\f";
      case "r":
        return "\r";
      case "e":
        return "\x1b";
      case '"':
        return '"';
      case "\\":
        return "\\";
      case "u":
      case "U": {
        const length = c === "u" ? 4 : 8;
        const hex = this.text.slice(this.pos, this.pos + length);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length) this.fail("invalid unicode escape");
        this.pos += length;
        return String.fromCodePoint(Number.parseInt(hex, 16));
      }
      default:
        return this.fail(`invalid escape \\${c}`);
    }
  }

  private literalString(): string {
    const end = this.text.indexOf("'", this.pos + 1);
    const newline = this.text.indexOf("\n", this.pos + 1);
    if (end === -1 || (newline !== -1 && newline < end)) this.fail("unterminated string");
    const out = this.text.slice(this.pos + 1, end);
    this.pos = end + 1;
    return out;
  }

  private multilineBasic(): string {
    this.pos += 3;
    if (this.text[this.pos] === "\r") this.pos++;
    if (this.text[this.pos] === "\n") {
      this.pos++;
      this.line++;
    }
    let out = "";
    for (;;) {
      if (this.pos >= this.text.length) this.fail("unterminated string");
      if (this.text.startsWith('"""', this.pos)) {
        // Up to two quotes may sit right before the closing delimiter.
        let extra = 0;
        while (extra < 2 && this.text[this.pos + 3 + extra] === '"') extra++;
        out += '"'.repeat(extra);
        this.pos += 3 + extra;
        return out;
      }
      const c = this.text[this.pos++]!;
      if (c === "\n") this.line++;
      if (c !== "\\") {
        out += c;
        continue;
      }
      // A line-ending backslash trims the newline and the whitespace after it.
      const rest = /^[ \t]*\r?\n/.exec(this.text.slice(this.pos));
      if (rest) {
        while (/[\s]/.test(this.text[this.pos] ?? "")) {
          if (this.text[this.pos] === "\n") this.line++;
          this.pos++;
        }
      } else out += this.escape();
    }
  }

  private multilineLiteral(): string {
    const start = this.pos + 3;
    let end = this.text.indexOf("'''", start);
    if (end === -1) this.fail("unterminated string");
    while (this.text[end + 3] === "'") end++;
    let out = this.text.slice(start, end);
    this.line += (out.match(/\n/g) ?? []).length;
    out = out.replace(/^\r?\n/, "");
    this.pos = end + 3;
    return out;
  }

  private array(): TomlValue[] {
    this.pos++;
    const items: TomlValue[] = [];
    for (;;) {
      this.skipBlank();
      if (this.text[this.pos] === "]") {
        this.pos++;
        return items;
      }
      items.push(this.value());
      this.skipBlank();
      if (this.text[this.pos] === ",") this.pos++;
      else if (this.text[this.pos] !== "]") this.fail("expected , or ] in an array");
    }
  }

  private inlineTable(): TomlTable {
    this.pos++;
    const table: TomlTable = {};
    for (;;) {
      this.skipBlank();
      if (this.text[this.pos] === "}") {
        this.pos++;
        return table;
      }
      this.keyValue(table);
      this.skipBlank();
      if (this.text[this.pos] === ",") this.pos++;
      else if (this.text[this.pos] !== "}") this.fail("expected , or } in an inline table");
    }
  }
}
