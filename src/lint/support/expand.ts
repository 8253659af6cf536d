/**
 * BuildKit's word expansion, as the Dockerfile frontend applies it to instruction arguments
 * (https://docs.docker.com/reference/dockerfile/#environment-replacement; behaviour read from
 * moby/buildkit frontend/dockerfile/shell/lex.go). Besides the expanded text it records which
 * variables were looked up and found (`matched`) or not (`unmatched`): BuildKit's UndefinedVar
 * and UndefinedArgInFrom checks are built on exactly that record.
 *
 * Supported: `$NAME`, `${NAME}`, `${NAME[:]-word}`, `${NAME[:]+word}`, `${NAME[:]?word}`,
 * `${NAME#glob}`, `${NAME##glob}`, `${NAME%glob}`, `${NAME%%glob}`, `${NAME/glob/repl}`,
 * `${NAME//glob/repl}`, single and double quotes, and the escape character.
 */

/** The value of a variable, or undefined when it is not set. */
export type Lookup = (name: string) => string | undefined;

export interface Expansion {
  result: string;
  /** Variables looked up and set. */
  matched: ReadonlySet<string>;
  /** Variables looked up and not set (a default in `${X:-d}` does not make X set). */
  unmatched: ReadonlySet<string>;
  /**
   * Unset variables whose (empty) value went into the result: `$X`, `${X}`, `${X#p}`, ... but
   * not `${X:-d}` or `${X:+w}`. When non-empty, the result is a guess, not the build's value.
   */
  missing: ReadonlySet<string>;
  /** Why BuildKit would refuse the word (bad syntax, `${X?}` with X unset), if it would. */
  error?: string;
}

export interface ExpandOptions {
  /** The Dockerfile's escape character (`# escape=` directive). */
  escape?: "\\" | "`";
  /** False for heredoc bodies: quotes are then ordinary characters (BuildKit's ExpandRaw). */
  processQuotes?: boolean;
}

class ExpansionError extends Error {}

/** Characters that are special parameters after `$` (POSIX sh 2.5.2). */
const SPECIAL_PARAMS = new Set(["@", "*", "#", "?", "-", "$", "!", "0"]);

/** The variables of a word without any (shared by every such expansion: read-only). */
const NO_VARIABLES: ReadonlySet<string> = new Set();

export function expandWord(word: string, lookup: Lookup, options: ExpandOptions = {}): Expansion {
  const escapeChar = options.escape ?? "\\";
  // A word without `$`, quotes or escapes (most image names, ARG defaults) is its own value.
  if (isLiteral(word, escapeChar))
    return { result: word, matched: NO_VARIABLES, unmatched: NO_VARIABLES, missing: NO_VARIABLES };
  const lexer = new WordLexer(word, lookup, escapeChar, options.processQuotes ?? true);
  try {
    const result = lexer.readUntil(null, false);
    return { result, matched: lexer.matched, unmatched: lexer.unmatched, missing: lexer.missing };
  } catch (error) {
    if (!(error instanceof ExpansionError)) throw error;
    const { matched, unmatched, missing } = lexer;
    return { result: "", matched, unmatched, missing, error: error.message };
  }
}

/** True when expansion leaves the word as it is: no `$`, quote or escape character in it. */
function isLiteral(word: string, escapeChar: string): boolean {
  for (let k = 0; k < word.length; k++) {
    const c = word[k];
    if (c === "$" || c === "'" || c === '"' || c === escapeChar) return false;
  }
  return true;
}

/** Names of all variables a word refers to, set or not (for scope checks; shared: read-only). */
export function referencedVariables(word: string, options: ExpandOptions = {}): ReadonlySet<string> {
  // Every reference starts with `$`; most words have none.
  if (!word.includes("$")) return NO_VARIABLES;
  const expansion = expandWord(word, () => undefined, options);
  return expansion.unmatched;
}

class WordLexer {
  matched = new Set<string>();
  unmatched = new Set<string>();
  missing = new Set<string>();
  private pos = 0;
  private readonly text: string;
  private readonly lookup: Lookup;
  private readonly escapeChar: string;
  private readonly processQuotes: boolean;

  constructor(text: string, lookup: Lookup, escapeChar: string, processQuotes: boolean) {
    this.text = text;
    this.lookup = lookup;
    this.escapeChar = escapeChar;
    this.processQuotes = processQuotes;
  }

  /** Reads up to `stop` (consumed) or the end; `rawEscapes` keeps escape characters. */
  readUntil(stop: string | null, rawEscapes: boolean): string {
    let result = "";
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos]!;
      if (stop !== null && ch === stop) {
        this.pos++;
        return result;
      }
      if (ch === "$") result += this.readDollar();
      else if (this.processQuotes && ch === "'") result += this.readSingleQuoted();
      else if (this.processQuotes && ch === '"') result += this.readDoubleQuoted(rawEscapes);
      else {
        this.pos++;
        if (ch === this.escapeChar) {
          if (rawEscapes) result += ch;
          if (this.pos >= this.text.length) break;
          result += this.text[this.pos++]!;
        } else result += ch;
      }
    }
    if (stop !== null)
      throw new ExpansionError(`unexpected end of statement while looking for matching ${stop}`);
    return result;
  }

  private readSingleQuoted(): string {
    const close = this.text.indexOf("'", this.pos + 1);
    if (close === -1)
      throw new ExpansionError("unexpected end of statement while looking for matching single-quote");
    const content = this.text.slice(this.pos + 1, close);
    this.pos = close + 1;
    return content;
  }

  private readDoubleQuoted(rawEscapes: boolean): string {
    let result = "";
    this.pos++;
    for (;;) {
      if (this.pos >= this.text.length) {
        throw new ExpansionError("unexpected end of statement while looking for matching double-quote");
      }
      const ch = this.text[this.pos]!;
      if (ch === '"') {
        this.pos++;
        return result;
      }
      if (ch === "$") {
        result += this.readDollar();
        continue;
      }
      this.pos++;
      if (ch !== this.escapeChar) {
        result += ch;
        continue;
      }
      if (rawEscapes) result += ch;
      const next = this.text[this.pos];
      if (next === undefined) continue;
      // Inside double quotes only `"`, `$` and the escape character itself can be escaped.
      if (next === '"' || next === "$" || next === this.escapeChar) {
        result += next;
        this.pos++;
      } else result += ch;
    }
  }

  private get(name: string): string | undefined {
    const value = this.lookup(name);
    if (value === undefined) this.unmatched.add(name);
    else this.matched.add(name);
    return value;
  }

  /** The value of a variable that is used as is: unset counts as missing. */
  private valueOf(name: string): string {
    const value = this.get(name);
    if (value === undefined) this.missing.add(name);
    return value ?? "";
  }

  private readName(): string {
    const start = this.pos;
    const first = this.text[this.pos];
    if (first === undefined) return "";
    if (/[0-9]/.test(first)) {
      while (this.pos < this.text.length && /[0-9]/.test(this.text[this.pos]!)) this.pos++;
      return this.text.slice(start, this.pos);
    }
    if (SPECIAL_PARAMS.has(first)) {
      this.pos++;
      return first;
    }
    while (this.pos < this.text.length && /[\p{L}\p{N}_]/u.test(this.text[this.pos]!)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private readDollar(): string {
    this.pos++;
    if (this.text[this.pos] !== "{") {
      const name = this.readName();
      return name === "" ? "$" : this.valueOf(name);
    }
    this.pos++;
    const after = this.text[this.pos];
    if (after === undefined) throw new ExpansionError("syntax error: missing '}'");
    if (after === "{" || after === "}" || after === ":")
      throw new ExpansionError("syntax error: bad substitution");
    const name = this.readName();
    let op = this.text[this.pos++];
    if (op === "}") return this.valueOf(name);
    if (op === "/") return this.readReplacement(name);
    const nullIsUnset = op === ":";
    if (nullIsUnset) op = this.text[this.pos++];
    if (op === undefined || !"+-?#%".includes(op))
      throw new ExpansionError(`unsupported modifier in substitution`);
    const patternOp = op === "#" || op === "%";
    if (nullIsUnset && patternOp) throw new ExpansionError(`unsupported modifier (:${op}) in substitution`);
    const word = this.readUntil("}", patternOp);
    const value = patternOp ? this.valueOf(name) : this.get(name);
    const isSet = value !== undefined && !(nullIsUnset && value === "");
    switch (op) {
      case "-":
        return isSet ? value! : word;
      case "+":
        return isSet ? word : "";
      case "?":
        if (value === undefined) throw new ExpansionError(`${name}: ${word || "is not allowed to be unset"}`);
        if (nullIsUnset && value === "")
          throw new ExpansionError(`${name}: ${word || "is not allowed to be empty"}`);
        return value;
      default:
        return trimPattern(value ?? "", word, op === "#" ? "prefix" : "suffix", this.escapeChar);
    }
  }

  private readReplacement(name: string): string {
    const all = this.text[this.pos] === "/";
    if (all) this.pos++;
    const pattern = this.readUntil("/", true);
    const replacement = this.readUntil("}", true);
    const value = this.valueOf(name);
    const regex = globRegex(globToRegex(pattern, this.escapeChar), all ? "gu" : "u");
    return value.replace(regex, () => replacement);
  }
}

/** `${X#p}`/`${X##p}` (prefix) and `${X%p}`/`${X%%p}` (suffix); a doubled operator is greedy. */
function trimPattern(value: string, word: string, side: "prefix" | "suffix", escapeChar: string): string {
  const marker = side === "prefix" ? "#" : "%";
  const greedy = word.startsWith(marker);
  const pattern = globRegex(`^(?:${globToRegex(greedy ? word.slice(1) : word, escapeChar)})$`, "su");
  const cuts = [...Array(value.length + 1).keys()];
  if (side === "prefix") {
    const order = greedy ? cuts.reverse() : cuts;
    const cut = order.find((k) => pattern.test(value.slice(0, k)));
    return cut === undefined ? value : value.slice(cut);
  }
  const order = greedy ? cuts : cuts.reverse();
  const cut = order.find((k) => pattern.test(value.slice(k)));
  return cut === undefined ? value : value.slice(0, cut);
}

/** A shell glob (`*`, `?`, `[...]`, escapes) as a regular expression source. */
function globToRegex(glob: string, escapeChar: string): string {
  let out = "";
  for (let k = 0; k < glob.length; k++) {
    const ch = glob[k]!;
    if (ch === escapeChar && k + 1 < glob.length) out += escapeRegex(glob[++k]!);
    else if (ch === "*") out += ".*";
    else if (ch === "?") out += ".";
    else if (ch === "[") {
      const close = glob.indexOf("]", k + 2);
      if (close === -1) out += "\\[";
      else {
        const body = glob
          .slice(k + 1, close)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\");
        out += `[${body}]`;
        k = close;
      }
    } else out += escapeRegex(ch);
  }
  return out;
}

/** In unicode mode only syntax characters may be escaped (`\\-` is an error there). */
function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/** A glob's regular expression; a glob JavaScript cannot compile (`[z-a]`) is BuildKit's error too. */
function globRegex(source: string, flags: string): RegExp {
  try {
    return new RegExp(source, flags);
  } catch {
    throw new ExpansionError("bad pattern in substitution");
  }
}

/** A word's literal value (quotes and escapes removed, variables left unexpanded as empty). */
export function literalWord(word: string, escapeChar: "\\" | "`" = "\\"): string {
  return expandWord(word, () => undefined, { escape: escapeChar }).result;
}

/**
 * BuildKit's "did you mean" (moby/buildkit util/suggest): the closest candidate at a
 * Levenshtein distance below 3, or undefined.
 */
export function suggestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    if (candidate === name) return undefined;
    const distance = levenshtein(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * True when `text` expands variable `name`: `${name}`, `${name:-x}` and the like, or bare
 * `$name` not followed by another name character (hadolint's bareVariableInText).
 */
export function referencesVariable(text: string, name: string): boolean {
  // Both are needed for a match; checking them first spares building a regular expression.
  if (!text.includes("$") || !text.includes(name)) return false;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`\\$(?:\\{${escaped}(?:[}:#%/^,@]|[-+=?])|${escaped}(?![A-Za-z0-9_]))`).test(text);
}
