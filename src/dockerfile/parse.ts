/**
 * Dockerfile parser: turns source text into logical instructions with positions.
 *
 * Follows BuildKit's parser (https://docs.docker.com/reference/dockerfile/ and
 * moby/buildkit frontend/dockerfile/parser): parser directives at the top, the escape
 * character (`\` or backtick), line continuations that skip comment and empty lines,
 * heredocs in RUN/COPY/ADD, flags parsed generically (an unknown flag is never a syntax
 * error), and JSON (exec) form. We parse ourselves rather than through dockerfile-ast because
 * its heredoc splitting mis-parses `RUN cat << 'EOF' > file` (rcjsuen/dockerfile-ast#120);
 * dockerfile-ast is kept as a differential oracle in the tests.
 */

import { Memoized, mapToList, objectList, withMemoSlot } from "./shapes.ts";

export interface Flag {
  name: string;
  /** null for a bare flag (`--link`). */
  value: string | null;
}

export interface Heredoc {
  name: string;
  /** `<<-`: leading tabs are stripped from the body and the terminator. */
  stripTabs: boolean;
  /** A quoted delimiter (`<<'EOF'`) disables expansion in the body. */
  quoted: boolean;
  /** The body without the terminator line, with its trailing newline. */
  body: string;
  /** 1-based line of the first body line. */
  line: number;
}

export interface Instruction {
  /** Upper-cased keyword, e.g. `RUN`. */
  keyword: string;
  /** The keyword as written (for casing checks). */
  rawKeyword: string;
  /** 1-based first and last source line (heredoc bodies included). */
  line: number;
  endLine: number;
  /** Character offsets into the (LF-normalised) source: [start, end). */
  start: number;
  end: number;
  /** Flags before the arguments (`--mount=...`, `--from=...`). */
  flags: Flag[];
  /** Argument text after the flags: continuations joined, inner comments dropped. */
  args: string;
  /** Parsed JSON array when the arguments are in exec form, else null. */
  json: string[] | null;
  heredocs: Heredoc[];
  /** ONBUILD's wrapped instruction. */
  onbuild?: Instruction | undefined;
  /** Index of the stage this instruction belongs to; -1 before the first FROM. */
  stage: number;
  /** Lines inside the continuation that were empty (BuildKit's NoEmptyContinuation). */
  emptyContinuationLines: number[];
}

export interface Comment {
  line: number;
  /** Text after the `#`, trimmed. */
  text: string;
}

export interface Directive {
  name: string;
  value: string;
  line: number;
}

export interface ParseError {
  line: number;
  column: number;
  message: string;
}

export interface Stage {
  index: number;
  from: Instruction;
  /** Lower-cased stage name from `AS name`, if any. */
  name: string | null;
  image: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** Source with CRLF normalised to LF. */
  source: string;
  lines: string[];
  crlf: boolean;
  escape: "\\" | "`";
  directives: Directive[];
  comments: Comment[];
  instructions: Instruction[];
  stages: Stage[];
  errors: ParseError[];
}

/** Every Dockerfile instruction keyword (https://docs.docker.com/reference/dockerfile/). */
export const KNOWN_INSTRUCTIONS: ReadonlySet<string> = new Set([
  "ADD",
  "ARG",
  "CMD",
  "COPY",
  "ENTRYPOINT",
  "ENV",
  "EXPOSE",
  "FROM",
  "HEALTHCHECK",
  "LABEL",
  "MAINTAINER",
  "ONBUILD",
  "RUN",
  "SHELL",
  "STOPSIGNAL",
  "USER",
  "VOLUME",
  "WORKDIR",
]);

const HEREDOC_INSTRUCTIONS = new Set(["RUN", "COPY", "ADD"]);
const DIRECTIVE_RE = /^#[ \t]*([a-zA-Z][a-zA-Z0-9_-]*)[ \t]*=[ \t]*(.*?)[ \t]*$/;

export function parseDockerfile(text: string): Dockerfile {
  const crlf = text.includes("\r\n");
  // Most files have no CR at all: no need to scan them with a regular expression.
  const source = text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
  const lines = source.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const lineStarts = computeLineStarts(source);
  const directives = readDirectives(lines);
  const escapeValue = directives.find((d) => d.name === "escape")?.value;
  const escapeChar: "\\" | "`" = escapeValue === "`" ? "`" : "\\";
  // Mostly empty: made with the map of a filled list, so the rare first error does not
  // change it under optimised code (shapes.ts).
  const errors = objectList<ParseError>();
  if (escapeValue !== undefined && escapeValue !== "`" && escapeValue !== "\\") {
    const d = directives.find((x) => x.name === "escape")!;
    errors.push({
      line: d.line,
      column: 1,
      message: `invalid escape token '${escapeValue}' does not match [\\\`]`,
    });
  }

  const comments: Comment[] = [];
  const instructions: Instruction[] = [];
  let i = directives.length > 0 ? directives[directives.length - 1]!.line : 0;
  while (i < lines.length) {
    if (skipsLine(lines[i]!, i, comments) !== SKIPS_NOTHING) {
      i++;
      continue;
    }
    const startLine = i;
    const emptyContinuationLines: number[] = [];
    i = joinContinuation(lines, i, escapeChar, comments, emptyContinuationLines);
    const instruction = parseLogicalLine(joinedText.trim(), startLine + 1);
    let lastLine = i; // 0-based index of the last consumed line
    if (instruction && HEREDOC_INSTRUCTIONS.has(heredocKeyword(instruction)))
      lastLine = readHeredocBodies(instruction, lines, startLine, lastLine, errors);
    i = lastLine + 1;
    if (!instruction) continue;
    place(instruction, lastLine, lineStarts[startLine]!, lineStarts[lastLine]! + lines[lastLine]!.length);
    instruction.emptyContinuationLines = emptyContinuationLines;
    validate(instruction, errors);
    instructions.push(instruction);
  }

  const stages = buildStages(instructions);
  return withMemoSlot({
    source,
    lines,
    crlf,
    escape: escapeChar,
    directives,
    comments,
    instructions,
    stages,
    errors,
  });
}

const HASH = 35; // `#`

// The steps of reading one instruction are functions of their own, not one long loop body: V8
// optimises (and, after a rare branch such as an unterminated heredoc, re-optimises) each on
// its own, and a long function costs its optimising compiler far more than its parts.

/** The logical line `joinContinuation` read last. */
let joinedText = "";

/**
 * Joins the continuation lines of the instruction starting at line index `i` (into
 * `joinedText`), skipping comment and empty lines inside as BuildKit does; returns the index of
 * the last line consumed.
 */
function joinContinuation(
  lines: readonly string[],
  i: number,
  escapeChar: "\\" | "`",
  comments: Comment[],
  emptyContinuationLines: number[],
): number {
  let logical = "";
  let current = lines[i]!;
  for (;;) {
    const cut = continuationAt(current, escapeChar);
    if (cut !== -1 && i + 1 < lines.length) {
      logical += current.slice(0, cut);
      i++;
      for (; i < lines.length; i++) {
        const skipped = skipsLine(lines[i]!, i, comments);
        if (skipped === SKIPS_NOTHING) break;
        if (skipped === SKIPS_BLANK) emptyContinuationLines.push(i + 1);
      }
      // Only comment and empty lines after the escape, up to the end of the file: the
      // instruction ends there, and those lines are consumed.
      if (i >= lines.length) {
        i = lines.length - 1;
        break;
      }
      current = lines[i]!;
      continue;
    }
    logical += cut !== -1 ? current.slice(0, cut) : current;
    break;
  }
  joinedText = logical;
  return i;
}

/**
 * Reads the bodies of the heredocs a RUN/COPY/ADD opens, from the line after `lastLine`;
 * returns the index of the last line consumed (the last terminator, or the file's end after an
 * unterminated heredoc, reported in `errors`).
 */
function readHeredocBodies(
  instruction: Instruction,
  lines: readonly string[],
  startLine: number,
  lastLine: number,
  errors: ParseError[],
): number {
  const target = instruction.onbuild ?? instruction;
  for (const marker of findHeredocMarkers(target.args)) {
    const bodyLines: string[] = [];
    let j = lastLine + 1;
    let closed = false;
    while (j < lines.length) {
      const candidate = marker.stripTabs ? lines[j]!.replace(/^\t+/, "") : lines[j]!;
      if (candidate === marker.name) {
        closed = true;
        break;
      }
      bodyLines.push(candidate);
      j++;
    }
    if (!closed) {
      errors.push({
        line: startLine + 1,
        column: 1,
        message: `unterminated heredoc <<${marker.name}: no line '${marker.name}' closes it`,
      });
      return lines.length - 1;
    }
    target.heredocs.push({
      name: marker.name,
      stripTabs: marker.stripTabs,
      quoted: marker.quoted,
      body: bodyLines.length > 0 ? `${bodyLines.join("\n")}\n` : "",
      line: lastLine + 2,
    });
    lastLine = j;
  }
  return lastLine;
}

/** Sets where an instruction (and the one ONBUILD wraps) sits: its last line and offsets. */
function place(instruction: Instruction, lastLine: number, start: number, end: number): void {
  instruction.endLine = lastLine + 1;
  instruction.start = start;
  instruction.end = end;
  const inner = instruction.onbuild;
  if (inner) {
    inner.line = instruction.line;
    inner.endLine = instruction.endLine;
    inner.start = start;
    inner.end = end;
  }
}

/** Index of the first character of `line` that `trim()` keeps (not `\s`), or -1 when none. */
const SKIPS_NOTHING = 0;
const SKIPS_BLANK = 1;
const SKIPS_COMMENT = 2;

/**
 * Whether line `i` is blank or a comment (recorded in `comments`), told by its first non-blank
 * character: no trimmed copy of every line.
 */
function skipsLine(line: string, i: number, comments: Comment[]): number {
  const first = firstNonBlank(line);
  if (first === -1) return SKIPS_BLANK;
  if (line.charCodeAt(first) !== HASH) return SKIPS_NOTHING;
  comments.push({ line: i + 1, text: line.slice(first + 1).trim() });
  return SKIPS_COMMENT;
}

function firstNonBlank(line: string): number {
  for (let k = 0; k < line.length; k++) if (!isWhitespace(line.charCodeAt(k))) return k;
  return -1;
}

function heredocKeyword(instruction: Instruction): string {
  return instruction.onbuild ? instruction.onbuild.keyword : instruction.keyword;
}

function computeLineStarts(source: string): number[] {
  const starts = [0];
  for (let k = source.indexOf("\n"); k !== -1; k = source.indexOf("\n", k + 1)) starts.push(k + 1);
  return starts;
}

/**
 * Where the line continuation starts: the index of a final escape character followed only by
 * blanks (`\\[ \t]*$`), or -1 when the line does not continue.
 */
function continuationAt(line: string, escapeChar: "\\" | "`"): number {
  let k = line.length - 1;
  while (k >= 0 && (line.charCodeAt(k) === 32 || line.charCodeAt(k) === 9)) k--;
  return k >= 0 && line[k] === escapeChar ? k : -1;
}

/** Parser directives: consecutive `# key=value` lines at the very top of the file. */
function readDirectives(lines: string[]): Directive[] {
  const out: Directive[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const match = DIRECTIVE_RE.exec(lines[i]!.trim());
    if (!match) break;
    const name = match[1]!.toLowerCase();
    if (seen.has(name)) break;
    seen.add(name);
    out.push({ name, value: match[2]!, line: i + 1 });
  }
  return out;
}

/**
 * An instruction as the parser makes it: every field from the start (`onbuild` too) and the
 * memo slot, so all instructions share one hidden class (shapes.ts).
 */
class ParsedInstruction extends Memoized implements Instruction {
  // `declare`: the constructor defines the fields, in this order (no field definitions first).
  declare keyword: string;
  declare rawKeyword: string;
  declare line: number;
  declare endLine: number;
  declare start: number;
  declare end: number;
  declare flags: Flag[];
  declare args: string;
  declare json: string[] | null;
  declare heredocs: Heredoc[];
  declare onbuild: Instruction | undefined;
  declare stage: number;
  declare emptyContinuationLines: number[];

  constructor(keyword: string, rawKeyword: string, line: number) {
    super();
    this.keyword = keyword;
    this.rawKeyword = rawKeyword;
    this.line = line;
    this.endLine = line;
    this.start = 0;
    this.end = 0;
    this.flags = objectList<Flag>();
    this.args = "";
    this.json = null;
    this.heredocs = objectList<Heredoc>();
    this.onbuild = undefined;
    this.stage = -1;
    this.emptyContinuationLines = [];
  }
}

function parseLogicalLine(text: string, line: number): Instruction | null {
  // `^(\S+)(?:\s+([\s\S]*))?$` on trimmed text: the keyword up to the first blank, the rest
  // after the blanks that follow it (found by scanning: the text can be a long RUN).
  if (text === "") return null;
  let keywordEnd = 0;
  while (keywordEnd < text.length && !isWhitespace(text.charCodeAt(keywordEnd))) keywordEnd++;
  let restStart = keywordEnd;
  while (restStart < text.length && isWhitespace(text.charCodeAt(restStart))) restStart++;
  const rawKeyword = keywordEnd === text.length ? text : text.slice(0, keywordEnd);
  const keyword = rawKeyword.toUpperCase();
  let rest = restStart === text.length ? "" : text.slice(restStart);
  const instruction: Instruction = new ParsedInstruction(keyword, rawKeyword, line);
  if (keyword === "ONBUILD") {
    instruction.args = rest.trim();
    const inner = parseLogicalLine(rest.trim(), line);
    if (inner) instruction.onbuild = inner;
    return instruction;
  }
  const { flags, remainder } = extractFlags(rest);
  instruction.flags = flags;
  rest = remainder;
  instruction.args = rest.trim();
  instruction.json = parseJsonForm(instruction.args);
  return instruction;
}

/** Leading `--name[=value]` words; values may be quoted. Any flag name is accepted. */
export function extractFlags(text: string): { flags: Flag[]; remainder: string } {
  const flags = objectList<Flag>();
  let pos = 0;
  for (;;) {
    while (pos < text.length && isWhitespace(text.charCodeAt(pos))) pos++;
    if (!text.startsWith("--", pos) || pos + 2 >= text.length || isWhitespace(text.charCodeAt(pos + 2)))
      break;
    let end = pos + 2;
    let quote: string | null = null;
    while (end < text.length) {
      const c = text[end]!;
      if (quote) {
        if (c === quote) quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (isWhitespace(text.charCodeAt(end))) break;
      end++;
    }
    const word = text.slice(pos + 2, end);
    const eq = word.indexOf("=");
    const name = eq === -1 ? word : word.slice(0, eq);
    const value = eq === -1 ? null : unquote(word.slice(eq + 1));
    flags.push({ name, value });
    pos = end;
  }
  return { flags, remainder: text.slice(pos) };
}

/** The characters of the regular expression class `\s` (ECMAScript WhiteSpace and LineTerminator). */
function isWhitespace(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]!)) {
    return value.slice(1, -1);
  }
  return value;
}

/** Exec form: a JSON array of strings. Anything else is shell form (as BuildKit does). */
export function parseJsonForm(args: string): string[] | null {
  const t = args.trim();
  if (!t.startsWith("[") || !t.endsWith("]")) return null;
  try {
    const value: unknown = JSON.parse(t);
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value as string[];
  } catch {
    return null;
  }
  return null;
}

interface HeredocMarker {
  name: string;
  stripTabs: boolean;
  quoted: boolean;
}

/**
 * Heredoc markers (`<<EOF`, `<<-EOF`, `<< 'EOF'`, `<<"EOF"`) outside quotes, in order.
 * `<<<` (here-string) is not a heredoc.
 */
export function findHeredocMarkers(args: string): HeredocMarker[] {
  const out: HeredocMarker[] = [];
  // Every marker starts with `<<`; most instructions have none (no need to walk their quotes).
  if (!args.includes("<<")) return out;
  let quote: string | null = null;
  for (let k = 0; k < args.length; k++) {
    const c = args[k]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === "\\" && quote === '"') k++;
      continue;
    }
    if (c === "\\") {
      k++;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      continue;
    }
    if (c !== "<" || args[k + 1] !== "<") continue;
    if (args[k + 2] === "<") {
      k += 2; // `<<<` here-string
      continue;
    }
    const m = /^<<(-?)[ \t]*(?:"([^"\n]+)"|'([^'\n]+)'|\\?([A-Za-z0-9_.-]+))/.exec(args.slice(k));
    if (!m) continue;
    const name = m[2] ?? m[3] ?? m[4]!;
    out.push({ name, stripTabs: m[1] === "-", quoted: m[2] !== undefined || m[3] !== undefined });
    k += m[0].length - 1;
  }
  return out;
}

function validate(instruction: Instruction, errors: ParseError[]): void {
  const target = instruction.onbuild ?? instruction;
  if (instruction.keyword === "ONBUILD" && !instruction.onbuild) {
    errors.push({ line: instruction.line, column: 1, message: "ONBUILD requires at least one argument" });
    return;
  }
  if (!KNOWN_INSTRUCTIONS.has(target.keyword)) {
    errors.push({
      line: instruction.line,
      column: 1,
      message: `unknown instruction: ${target.rawKeyword}`,
    });
    return;
  }
  const mayBeEmpty = target.keyword === "CMD" || target.keyword === "ENTRYPOINT";
  if (!mayBeEmpty && target.args === "" && target.heredocs.length === 0) {
    errors.push({
      line: instruction.line,
      column: 1,
      message: `${target.keyword} requires at least one argument`,
    });
  }
}

function buildStages(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") {
      const words = instruction.args.split(/\s+/).filter(Boolean);
      const asIndex = words.findIndex((w) => w.toLowerCase() === "as");
      const name = asIndex >= 0 && words[asIndex + 1] ? words[asIndex + 1]!.toLowerCase() : null;
      stages.push({ index: stages.length, from: instruction, name, image: words[0] ?? "", instructions: [] });
    }
    const stage = stages[stages.length - 1];
    instruction.stage = stage ? stage.index : -1;
    if (instruction.onbuild) instruction.onbuild.stage = instruction.stage;
    stage?.instructions.push(instruction);
  }
  return stages;
}

/** Flag value by name (last one wins, as in BuildKit). */
export function flagValue(instruction: Instruction, name: string): string | null | undefined {
  let found: string | null | undefined;
  for (const f of instruction.flags) if (f.name === name) found = f.value;
  return found;
}

/**
 * The shell script a RUN executes: heredoc bodies for `RUN <<EOF` (the heredoc body is the
 * script when the command is just the marker), else the argument text.
 */
export function runScript(instruction: Instruction): string {
  if (instruction.json) return instruction.json.join(" ");
  if (instruction.heredocs.length > 0) {
    const firstWordIsMarker = /^<<-?\s*["']?[A-Za-z0-9_.-]+["']?\s*$/.test(instruction.args.trim());
    if (firstWordIsMarker) return instruction.heredocs[0]!.body;
    // Keep the heredocs in the script so the shell (and ShellCheck) sees what BuildKit runs.
    return `${instruction.args}\n${mapToList(instruction.heredocs, (h) => `${h.body}${h.name}\n`).join("")}`;
  }
  return instruction.args;
}
