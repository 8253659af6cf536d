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

interface Token {
  kind: "word" | "op";
  raw: string;
  value: string;
  start: number;
  end: number;
}

export function parseShell(script: string): ShellCommand[] {
  const tokens = tokenize(script);
  const commands: ShellCommand[] = [];
  // The words of the command being read are tokens[from, k) minus dropped redirections:
  // collected in one reused list rather than a new array per command.
  const words: Token[] = [];
  let before = "";
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k]!;
    if (token.kind === "op") {
      if (isRedirect(token.value)) {
        k++; // drop the redirection target too
        continue;
      }
      const cmd = buildCommand(words, before, token.value);
      if (cmd) commands.push(cmd);
      words.length = 0;
      before = token.value;
      continue;
    }
    words.push(token);
  }
  const last = buildCommand(words, before, "");
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

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** The simple command of `tokens` (the list is reused by the caller: nothing keeps it). */
function buildCommand(tokens: readonly Token[], before: string, after: string): ShellCommand | null {
  let first = 0;
  // Step over compound-command keywords that precede a command.
  while (first < tokens.length && KEYWORDS_BEFORE_COMMAND.has(tokens[first]!.raw)) first++;
  if (first < tokens.length && KEYWORDS_ALONE.has(tokens[first]!.raw)) first++;
  if (first >= tokens.length) return null;
  const head = tokens[first]!.raw;
  if (head === "for" || head === "case" || head === "select") return null;
  const assignments = objectList<string>();
  let j = first;
  while (j < tokens.length && ASSIGNMENT.test(tokens[j]!.raw)) {
    assignments.push(tokens[j]!.value);
    j++;
  }
  const nameToken = j < tokens.length ? tokens[j] : undefined;
  // Word lists built by push, not map: an optimised `map` makes other arrays (holey) than the
  // builtin does, and every reader of the lists would see both (shapes.ts). The command and its
  // words are keys of the linter's caches: created with the memo slot.
  const args = withMemoSlot(objectList<string>());
  const rawArgs = objectList<string>();
  for (let k = j + 1; k < tokens.length; k++) {
    args.push(tokens[k]!.value);
    rawArgs.push(tokens[k]!.raw);
  }
  return new ParsedCommand(
    nameToken ? nameToken.value : "",
    args,
    rawArgs,
    assignments,
    tokens[first]!.start,
    tokens[tokens.length - 1]!.end,
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

function tokenize(script: string): Token[] {
  const tokens: Token[] = [];
  const pendingHeredocs: { name: string; stripTabs: boolean }[] = [];
  let k = 0;
  const n = script.length;
  while (k < n) {
    const c = script[k]!;
    if (c === "\\" && script[k + 1] === "\n") {
      k += 2;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      k++;
      continue;
    }
    if (c === "\n") {
      tokens.push({ kind: "op", raw: "\n", value: "\n", start: k, end: k + 1 });
      k++;
      if (pendingHeredocs.length > 0) k = skipHeredocBodies(script, k, pendingHeredocs.splice(0));
      continue;
    }
    if (c === "#") {
      while (k < n && script[k] !== "\n") k++;
      continue;
    }
    const op = readOperator(script, k);
    if (op) {
      if (op === "<<" || op === "<<-") {
        const target = readWord(script, skipBlanks(script, k + op.length));
        if (target) {
          pendingHeredocs.push({ name: target.value, stripTabs: op === "<<-" });
          k = target.end;
          continue;
        }
      }
      tokens.push({ kind: "op", raw: op, value: op, start: k, end: k + op.length });
      k += op.length;
      continue;
    }
    const word = readWord(script, k);
    if (!word) {
      k++;
      continue;
    }
    tokens.push(word);
    k = word.end;
  }
  return tokens;
}

function skipBlanks(s: string, k: number): number {
  while (k < s.length && (s[k] === " " || s[k] === "\t")) k++;
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
    const next = s[j];
    if (j - k > 3 || (next !== "<" && next !== ">")) return null;
    start = j;
  }
  const op = operatorAt(s, start);
  if (op === null || start === k) return op;
  return s.slice(k, start) + op;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function operatorAt(s: string, k: number): string | null {
  const next = s[k + 1];
  switch (s[k]) {
    case "&":
      return next === "&" ? "&&" : "&";
    case "|":
      return next === "|" ? "||" : "|";
    case ";":
      return next === ";" ? ";;" : ";";
    case "<":
      if (next === "<") {
        const third = s[k + 2];
        if (third === "-") return "<<-";
        return third === "<" ? null : "<<";
      }
      if (next === "&") return "<&";
      return next === ">" ? "<>" : "<";
    case ">":
      if (next === ">") return ">>";
      if (next === "&") return ">&";
      return next === "|" ? ">|" : ">";
    case "(":
      return "(";
    case ")":
      return ")";
    default:
      return null;
  }
}

/**
 * Reads one word starting at k; returns its raw text, unquoted value and end offset. Text that
 * stays as written (plain characters, `$(...)`, backticks) is copied in slices, not per character.
 */
function readWord(s: string, k: number): Token | null {
  const start = k;
  let value = "";
  /** Start of the run of characters not yet copied to `value` that are kept as written. */
  let verbatim = k;
  while (k < s.length) {
    const c = s[k]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") break;
    if (
      (c === ";" || c === "&" || c === "|" || c === "<" || c === ">" || c === "(" || c === ")") &&
      !(c === "(" && s[k - 1] === "$")
    ) {
      if (k === start) return null;
      break;
    }
    if (c === "\\") {
      value += s.slice(verbatim, k);
      if (s[k + 1] !== "\n") value += s[k + 1] ?? "";
      k += 2;
      verbatim = k;
      continue;
    }
    if (c === "'") {
      value += s.slice(verbatim, k);
      const close = s.indexOf("'", k + 1);
      const endQ = close === -1 ? s.length : close;
      value += s.slice(k + 1, endQ);
      k = endQ + 1;
      verbatim = k;
      continue;
    }
    if (c === '"') {
      value += s.slice(verbatim, k);
      k = readDoubleQuoted(s, k + 1, (text) => {
        value += text;
      });
      k++;
      verbatim = k;
      continue;
    }
    if (c === "$" && s[k + 1] === "(") {
      k = matchParen(s, k + 1);
      continue;
    }
    if (c === "`") {
      const close = s.indexOf("`", k + 1);
      k = close === -1 ? s.length : close + 1;
      continue;
    }
    k++;
  }
  if (k === start) return null;
  const raw = s.slice(start, k);
  // A word without quotes or escapes (most of them) is its own value: one string, not two.
  if (verbatim === start) return { kind: "word", raw, value: raw, start, end: k };
  value += s.slice(verbatim, k);
  return { kind: "word", raw, value, start, end: k };
}

/** Reads a double-quoted string from k (after the quote) to its closing quote; returns that offset. */
function readDoubleQuoted(s: string, k: number, append: (text: string) => void): number {
  let verbatim = k;
  while (k < s.length && s[k] !== '"') {
    if (s[k] === "\\" && k + 1 < s.length && '"\\$`\n'.includes(s[k + 1]!)) {
      append(s.slice(verbatim, k));
      if (s[k + 1] !== "\n") append(s[k + 1]!);
      k += 2;
      verbatim = k;
      continue;
    }
    // `$(...)` is kept as written, quotes inside it included.
    k = s[k] === "$" && s[k + 1] === "(" ? matchParen(s, k + 1) : k + 1;
  }
  append(s.slice(verbatim, k));
  return k;
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
