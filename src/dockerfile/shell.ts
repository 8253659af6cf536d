/**
 * A small POSIX shell reader for RUN bodies: splits a script into simple commands with
 * their words unquoted, the operator that joins them, and their offsets.
 *
 * It follows the token rules of the POSIX shell command language
 * (https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_03):
 * quotes, backslash escapes, `$(...)`/backticks kept inside words, operators `&& || ; | &`,
 * redirections (dropped from the arguments), heredoc bodies skipped, comments, and compound
 * command keywords (`if`, `then`, `do`, ...) stepped over. It is not a full parser: rules
 * only need "which commands run, with which arguments".
 */
import { Memoized, objectList, withMemoSlot } from "./shapes.ts";

export interface ShellCommand {
  /** Command name (first word after assignments), unquoted. Empty for a bare assignment. */
  name: string;
  /** Unquoted words after the name, redirections removed. */
  args: string[];
  /** Raw (still quoted) words after the name. */
  rawArgs: string[];
  /** `NAME=value` words before the name. */
  assignments: string[];
  /** Offsets of the command in the script: [start, end). */
  start: number;
  end: number;
  /** Operator before and after: `&&`, `||`, `;`, `|`, `&`, `\n`, or "" at the ends. */
  before: string;
  after: string;
}

const KEYWORDS_BEFORE_COMMAND = new Set([
  "if",
  "then",
  "else",
  "elif",
  "do",
  "while",
  "until",
  "!",
  "{",
  "(",
]);
const KEYWORDS_ALONE = new Set(["fi", "done", "esac", "}", ")", "in"]);

/**
 * The tokens of the script being split, as parallel lists reused from one script to the next:
 * no object per token (a lint run splits some 200,000). `parseShell` is not re-entrant, so one
 * buffer serves every call.
 */
class TokenBuffer {
  count = 0;
  readonly isOperator: boolean[] = [];
  /** The token as written. */
  readonly raw: string[] = [];
  /** Its unquoted value (an operator's is its text). */
  readonly value: string[] = [];
  readonly start: number[] = [];
  readonly end: number[] = [];

  push(isOperator: boolean, raw: string, value: string, start: number, end: number): void {
    const k = this.count++;
    this.isOperator[k] = isOperator;
    this.raw[k] = raw;
    this.value[k] = value;
    this.start[k] = start;
    this.end[k] = end;
  }
}

const TOKENS = new TokenBuffer();
/** Indexes in TOKENS of the words of the command being read (redirections left out). */
const COMMAND_WORDS: number[] = [];

export function parseShell(script: string): ShellCommand[] {
  const tokens = TOKENS;
  tokens.count = 0;
  tokenize(script, tokens);
  const commands: ShellCommand[] = [];
  const words = COMMAND_WORDS;
  words.length = 0;
  let before = "";
  for (let k = 0; k < tokens.count; k++) {
    if (tokens.isOperator[k]) {
      const op = tokens.value[k]!;
      if (isRedirect(op)) {
        k++; // drop the redirection target too
        continue;
      }
      const cmd = buildCommand(tokens, words, before, op);
      if (cmd) commands.push(cmd);
      words.length = 0;
      before = op;
      continue;
    }
    words.push(k);
  }
  const last = buildCommand(tokens, words, before, "");
  if (last) commands.push(last);
  return commands;
}

/** A redirection operator: `[n]>`, `>>`, `>&`, `<&`, `<>`, `>|`, `<` (an io-number may lead). */
function isRedirect(op: string): boolean {
  let k = 0;
  while (k < op.length && op.charCodeAt(k) >= 48 && op.charCodeAt(k) <= 57) k++;
  const rest = k === 0 ? op : op.slice(k);
  return (
    rest === ">" ||
    rest === "<" ||
    rest === ">>" ||
    rest === ">&" ||
    rest === "<&" ||
    rest === "<>" ||
    rest === ">|"
  );
}

/** `NAME=...` (`^[A-Za-z_][A-Za-z0-9_]*=`): an assignment word before the command name. */
function isAssignment(word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    const c = word.charCodeAt(k);
    if (c === 61 /* = */) return k > 0;
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!letter && (k === 0 || !isDigit(c))) return false;
  }
  return false;
}

/** The simple command of the words (token indexes; the list is reused by the caller). */
function buildCommand(
  tokens: TokenBuffer,
  words: readonly number[],
  before: string,
  after: string,
): ShellCommand | null {
  const raw = tokens.raw;
  let first = 0;
  // Step over compound-command keywords that precede a command.
  while (first < words.length && KEYWORDS_BEFORE_COMMAND.has(raw[words[first]!]!)) first++;
  if (first < words.length && KEYWORDS_ALONE.has(raw[words[first]!]!)) first++;
  if (first >= words.length) return null;
  const head = raw[words[first]!]!;
  if (head === "for" || head === "case" || head === "select") return null;
  const assignments = objectList<string>();
  let j = first;
  while (j < words.length && isAssignment(raw[words[j]!]!)) {
    assignments.push(tokens.value[words[j]!]!);
    j++;
  }
  // Word lists built by push, not map: an optimised `map` makes other arrays (holey) than the
  // builtin does, and every reader of the lists would see both (shapes.ts). The command and its
  // words are keys of the linter's caches: created with the memo slot.
  const args = withMemoSlot(objectList<string>());
  const rawArgs = objectList<string>();
  for (let k = j + 1; k < words.length; k++) {
    args.push(tokens.value[words[k]!]!);
    rawArgs.push(raw[words[k]!]!);
  }
  return new ParsedCommand(
    j < words.length ? tokens.value[words[j]!]! : "",
    args,
    rawArgs,
    assignments,
    tokens.start[words[first]!]!,
    tokens.end[words[words.length - 1]!]!,
    before,
    after,
  );
}

/** A command as the parser makes it, with the linter's memo slot (shapes.ts). */
class ParsedCommand extends Memoized implements ShellCommand {
  // `declare`: the constructor defines the fields, in this order (no field definitions first).
  declare name: string;
  declare args: string[];
  declare rawArgs: string[];
  declare assignments: string[];
  declare start: number;
  declare end: number;
  declare before: string;
  declare after: string;

  constructor(
    name: string,
    args: string[],
    rawArgs: string[],
    assignments: string[],
    start: number,
    end: number,
    before: string,
    after: string,
  ) {
    super();
    this.name = name;
    this.args = args;
    this.rawArgs = rawArgs;
    this.assignments = assignments;
    this.start = start;
    this.end = end;
    this.before = before;
    this.after = after;
  }
}

// Character codes the tokenizer compares with: the scanners read `charCodeAt`, not one-character
// strings.
const TAB = 9;
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const SPACE = 32;
const DOUBLE_QUOTE = 34;
const HASH = 35;
const DOLLAR = 36;
const AMPERSAND = 38;
const SINGLE_QUOTE = 39;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const SEMICOLON = 59;
const LESS = 60;
const GREATER = 62;
const BACKSLASH = 92;
const BACKTICK = 96;
const PIPE = 124;

function tokenize(script: string, tokens: TokenBuffer): void {
  const pendingHeredocs: { name: string; stripTabs: boolean }[] = [];
  let k = 0;
  const n = script.length;
  while (k < n) {
    const c = script.charCodeAt(k);
    if (c === BACKSLASH && codeAt(script, k + 1) === NEWLINE) {
      k += 2;
      continue;
    }
    if (c === SPACE || c === TAB || c === CARRIAGE_RETURN) {
      k++;
      continue;
    }
    if (c === NEWLINE) {
      tokens.push(true, "\n", "\n", k, k + 1);
      k++;
      if (pendingHeredocs.length > 0) k = skipHeredocBodies(script, k, pendingHeredocs.splice(0));
      continue;
    }
    if (c === HASH) {
      const eol = script.indexOf("\n", k);
      k = eol === -1 ? n : eol;
      continue;
    }
    const op = readOperator(script, k);
    if (op) {
      if (op === "<<" || op === "<<-") {
        const targetEnd = readWord(script, skipBlanks(script, k + op.length));
        if (targetEnd !== -1) {
          pendingHeredocs.push({ name: wordValue, stripTabs: op === "<<-" });
          k = targetEnd;
          continue;
        }
      }
      tokens.push(true, op, op, k, k + op.length);
      k += op.length;
      continue;
    }
    const start = k;
    const end = readWord(script, k);
    if (end === -1) {
      k++;
      continue;
    }
    tokens.push(false, wordRaw, wordValue, start, end);
    k = end;
  }
}

function skipBlanks(s: string, k: number): number {
  while (k < s.length) {
    const c = s.charCodeAt(k);
    if (c !== SPACE && c !== TAB) break;
    k++;
  }
  return k;
}

function skipHeredocBodies(s: string, k: number, heredocs: { name: string; stripTabs: boolean }[]): number {
  for (const h of heredocs) {
    while (k < s.length) {
      const eol = s.indexOf("\n", k);
      const lineEnd = eol === -1 ? s.length : eol;
      let line = s.slice(k, lineEnd);
      if (h.stripTabs) line = line.replace(/^\t+/, "");
      k = eol === -1 ? s.length : eol + 1;
      if (line === h.name) break;
    }
  }
  return k;
}

/**
 * The operator at k (`&& || ;; << <<- >> >& <& <> >| ; | & < > ( )`), with an io-number prefix
 * (`2>`: up to three digits) kept on a redirection; null for none and for a here-string `<<<`
 * (its next word is data, read as a word).
 */
function readOperator(s: string, k: number): string | null {
  let start = k;
  if (isDigit(s.charCodeAt(k))) {
    let j = k + 1;
    while (j < s.length && j < k + 4 && isDigit(s.charCodeAt(j))) j++;
    const next = codeAt(s, j);
    if (j - k > 3 || (next !== LESS && next !== GREATER)) return null;
    start = j;
  }
  const op = operatorAt(s, start);
  if (op === null || start === k) return op;
  return s.slice(k, start) + op;
}

/**
 * The character code at k, or -1 outside the string: a read past either end would make V8
 * throw away the optimised scanner once ("out of bounds" deopt) and compile it again.
 */
function codeAt(s: string, k: number): number {
  return k >= 0 && k < s.length ? s.charCodeAt(k) : -1;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function operatorAt(s: string, k: number): string | null {
  const next = codeAt(s, k + 1);
  switch (s.charCodeAt(k)) {
    case AMPERSAND:
      return next === AMPERSAND ? "&&" : "&";
    case PIPE:
      return next === PIPE ? "||" : "|";
    case SEMICOLON:
      return next === SEMICOLON ? ";;" : ";";
    case LESS:
      if (next === LESS) {
        const third = codeAt(s, k + 2);
        if (third === 45 /* - */) return "<<-";
        return third === LESS ? null : "<<";
      }
      if (next === AMPERSAND) return "<&";
      return next === GREATER ? "<>" : "<";
    case GREATER:
      if (next === GREATER) return ">>";
      if (next === AMPERSAND) return ">&";
      return next === PIPE ? ">|" : ">";
    case OPEN_PAREN:
      return "(";
    case CLOSE_PAREN:
      return ")";
    default:
      return null;
  }
}

/** `;&|<>()`: the characters that end a word (an operator starts there). */
function isOperatorChar(c: number): boolean {
  return (
    c === SEMICOLON ||
    c === AMPERSAND ||
    c === PIPE ||
    c === LESS ||
    c === GREATER ||
    c === OPEN_PAREN ||
    c === CLOSE_PAREN
  );
}

/** The raw text and unquoted value of the word the last `readWord` read. */
let wordRaw = "";
let wordValue = "";

/**
 * Reads one word starting at k: returns its end offset (-1 when no word starts there) and
 * leaves its raw text and unquoted value in `wordRaw` and `wordValue` (no object per word).
 * Text that stays as written (plain characters, `$(...)`, backticks) is copied in slices, not
 * per character.
 */
function readWord(s: string, k: number): number {
  const start = k;
  let value = "";
  /** Start of the run of characters not yet copied to `value` that are kept as written. */
  let verbatim = k;
  while (k < s.length) {
    const c = s.charCodeAt(k);
    if (c === SPACE || c === TAB || c === NEWLINE || c === CARRIAGE_RETURN) break;
    if (isOperatorChar(c) && !(c === OPEN_PAREN && codeAt(s, k - 1) === DOLLAR)) {
      if (k === start) return -1;
      break;
    }
    if (c === BACKSLASH) {
      value += s.slice(verbatim, k);
      if (k + 1 < s.length && s.charCodeAt(k + 1) !== NEWLINE) value += s[k + 1];
      k += 2;
      verbatim = k;
      continue;
    }
    if (c === SINGLE_QUOTE) {
      value += s.slice(verbatim, k);
      const close = s.indexOf("'", k + 1);
      const endQ = close === -1 ? s.length : close;
      value += s.slice(k + 1, endQ);
      k = endQ + 1;
      verbatim = k;
      continue;
    }
    if (c === DOUBLE_QUOTE) {
      value += s.slice(verbatim, k) + readDoubleQuoted(s, k + 1);
      k = doubleQuotedEnd + 1;
      verbatim = k;
      continue;
    }
    if (c === DOLLAR && codeAt(s, k + 1) === OPEN_PAREN) {
      k = matchParen(s, k + 1);
      continue;
    }
    if (c === BACKTICK) {
      const close = s.indexOf("`", k + 1);
      k = close === -1 ? s.length : close + 1;
      continue;
    }
    k++;
  }
  if (k === start) return -1;
  wordRaw = s.slice(start, k);
  // A word without quotes or escapes (most of them) is its own value: one string, not two.
  wordValue = verbatim === start ? wordRaw : value + s.slice(verbatim, k);
  return k;
}

/** Where the last `readDoubleQuoted` stopped: the offset of the closing quote (or the end). */
let doubleQuotedEnd = 0;

/** True for the characters a backslash escapes inside double quotes: `"` `\\` `$` `` ` `` newline. */
function escapableInDoubleQuotes(c: number): boolean {
  return c === DOUBLE_QUOTE || c === BACKSLASH || c === DOLLAR || c === BACKTICK || c === NEWLINE;
}

/**
 * Reads a double-quoted string from k (after the quote) to its closing quote; returns its
 * unquoted text and leaves the closing quote's offset in `doubleQuotedEnd` (no callback or
 * result object per string).
 */
function readDoubleQuoted(s: string, k: number): string {
  let text = "";
  let verbatim = k;
  while (k < s.length) {
    const c = s.charCodeAt(k);
    if (c === DOUBLE_QUOTE) break;
    if (c === BACKSLASH && k + 1 < s.length && escapableInDoubleQuotes(s.charCodeAt(k + 1))) {
      text += s.slice(verbatim, k);
      if (s.charCodeAt(k + 1) !== NEWLINE) text += s[k + 1];
      k += 2;
      verbatim = k;
      continue;
    }
    // `$(...)` is kept as written, quotes inside it included.
    k = c === DOLLAR && codeAt(s, k + 1) === OPEN_PAREN ? matchParen(s, k + 1) : k + 1;
  }
  doubleQuotedEnd = k;
  return text + s.slice(verbatim, k);
}

/** Offset just past the `)` matching the `(` at k, skipping quotes. */
function matchParen(s: string, k: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (; k < s.length; k++) {
    const c = s[k]!;
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === "(") depth++;
    else if (c === ")") {
      depth--;
      if (depth === 0) return k + 1;
    }
  }
  return s.length;
}

/** True when a flag is present: long (`--yes`, `--yes=x`) or short, also inside `-qy`. */
export function hasFlag(cmd: ShellCommand, ...names: string[]): boolean {
  for (const arg of cmd.args) {
    if (arg === "--") break;
    for (const name of names) {
      if (name.length > 1) {
        if (arg === `--${name}` || arg.startsWith(`--${name}=`)) return true;
      } else if (/^-[A-Za-z0-9]+$/.test(arg) && arg.slice(1).includes(name)) return true;
    }
  }
  return false;
}

/** Arguments that are not flags (do not start with `-`). */
export function argsWithoutFlags(cmd: ShellCommand): string[] {
  return cmd.args.filter((a) => !a.startsWith("-"));
}

/** Commands whose name (basename) is one of the given names. */
export function commandsNamed(commands: ShellCommand[], ...names: string[]): ShellCommand[] {
  return commands.filter((c) => names.includes(basename(c.name)));
}

export function basename(path: string): string {
  const idx = path.lastIndexOf("/");
  return idx === -1 ? path : path.slice(idx + 1);
}

/** The first non-flag argument (the subcommand of `apt-get install`, `npm ci`, ...). */
export function subcommand(cmd: ShellCommand): string | undefined {
  return argsWithoutFlags(cmd)[0];
}
