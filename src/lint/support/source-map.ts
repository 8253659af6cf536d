/**
 * Maps the parsed view of an instruction back to source offsets, so fixers can edit the text
 * the user wrote. The parser joins continuation lines (dropping the escape character, the
 * line break and comment or empty lines in between, as BuildKit does:
 * https://docs.docker.com/reference/dockerfile/#escape) and then splits off the keyword and
 * flags; `Instruction.args` is therefore a suffix of the joined logical line. We redo that
 * join while remembering where every character came from.
 */
import type { Dockerfile, Instruction } from "../../dockerfile/parse.ts";
import type { RuleContext, RunInfo } from "../types.ts";
import { ObjectMemo } from "./memo.ts";

export interface ArgsMap {
  /** The instruction's argument text, as the parser produced it. */
  args: string;
  /**
   * Where the characters of `args` come from, in order: one piece per source line kept by the
   * join, `args[argsStart, argsStart + length)` being `source[sourceStart, sourceStart + length)`.
   * A few pieces, not an offset per character: fixers ask for a handful of positions.
   */
  pieces: ArgsPiece[];
}

export interface ArgsPiece {
  argsStart: number;
  sourceStart: number;
  length: number;
}

export interface Span {
  start: number;
  end: number;
}

// Fixers and rules ask about the same parsed Dockerfile many times; parsing is immutable.
const lineStartsCache = new ObjectMemo<Dockerfile, number[]>();
const argsMapCache = new ObjectMemo<Instruction, ArgsMap | null>();

/** 0-based offsets where each source line starts (shared: do not modify). */
export function lineStarts(df: Dockerfile): number[] {
  let starts = lineStartsCache.get(df);
  if (!starts) {
    starts = [0];
    const source = df.source;
    for (let k = source.indexOf("\n"); k !== -1; k = source.indexOf("\n", k + 1)) starts.push(k + 1);
    lineStartsCache.set(df, starts);
  }
  return starts;
}

/**
 * Source offsets of the argument text of `instruction` (for ONBUILD, pass the wrapped
 * instruction; its arguments are a suffix of the same logical line). Null when the join
 * cannot be reproduced, which callers treat as "no safe fix". The map is computed once per
 * instruction and shared: do not modify it.
 */
export function mapArgs(df: Dockerfile, instruction: Instruction): ArgsMap | null {
  let map = argsMapCache.get(instruction);
  if (map === undefined) {
    map = computeArgsMap(df, instruction);
    argsMapCache.set(instruction, map);
  }
  return map;
}

const CONTINUATION = { "\\": /\\[ \t]*$/, "`": /`[ \t]*$/ } as const;

function computeArgsMap(df: Dockerfile, instruction: Instruction): ArgsMap | null {
  const lines = df.lines;
  const continuation = CONTINUATION[df.escape];
  // The kept part of each joined line: [source offset, length].
  const pieces: [number, number][] = [];
  let text = "";
  let index = instruction.line - 1;
  // Where line `index` starts: the instruction starts at its first line (the parser's offset),
  // and each line of the LF-normalised source ends with one "\n". No table of all line starts.
  let offset = instruction.start;
  for (;;) {
    const line = lines[index];
    if (line === undefined) break;
    const match = continuation.exec(line);
    const kept = match ? match.index : line.length;
    pieces.push([offset, kept]);
    text += kept === line.length ? line : line.slice(0, kept);
    if (!match || index + 1 >= lines.length) break;
    offset += line.length + 1;
    index++;
    while (index < lines.length) {
      const skipped = lines[index]!;
      const t = skipped.trim();
      if (t !== "" && !t.startsWith("#")) break;
      offset += skipped.length + 1;
      index++;
    }
    if (index >= lines.length) break;
  }
  const trimmedLength = text.trimEnd().length;
  const args = instruction.args;
  const from = trimmedLength - args.length;
  if (from < 0 || text.slice(from, trimmedLength) !== args) return null;
  const argsPieces: ArgsPiece[] = [];
  let at = 0;
  for (const [start, length] of pieces) {
    // Characters [at, at + length) of the joined text come from source[start, start + length).
    const first = Math.max(from, at);
    const last = Math.min(trimmedLength, at + length);
    if (first < last)
      argsPieces.push({ argsStart: first - from, sourceStart: start + (first - at), length: last - first });
    at += length;
    if (at >= trimmedLength) break;
  }
  return { args, pieces: argsPieces };
}

/** Source offset of args[k], or undefined outside the arguments. */
export function sourceOffset(map: ArgsMap, k: number): number | undefined {
  if (k < 0 || k >= map.args.length) return undefined;
  for (const piece of map.pieces) {
    const within = k - piece.argsStart;
    if (within < piece.length) return piece.sourceStart + within;
  }
  return undefined;
}

/** Source span of args[start, end) (end exclusive; empty spans sit before `start`). */
export function sourceSpan(map: ArgsMap, start: number, end: number): Span {
  if (end <= start) {
    const length = map.args.length;
    const at = start < length ? sourceOffset(map, start)! : sourceOffset(map, length - 1)! + 1;
    return { start: at, end: at };
  }
  return { start: sourceOffset(map, start)!, end: sourceOffset(map, end - 1)! + 1 };
}

/** The instruction (ONBUILD unwrapped) that starts at `line`, optionally of one keyword. */
export function instructionAt(
  df: Dockerfile,
  line: number,
  ...keywords: string[]
): { outer: Instruction; instruction: Instruction } | null {
  const outer = df.instructions.find((i) => i.line === line);
  if (!outer) return null;
  const instruction = outer.onbuild ?? outer;
  if (keywords.length > 0 && !keywords.includes(instruction.keyword)) return null;
  return { outer, instruction };
}

/** A shell-form RUN without heredocs (its script is exactly `args`), with its source map. */
export interface ShellRun {
  run: RunInfo;
  map: ArgsMap;
}

export function shellRunAt(ctx: RuleContext, line: number): ShellRun | null {
  const run = ctx.runs.find((r) => r.outer.line === line);
  if (!run) return null;
  return shellRun(ctx, run);
}

export function shellRun(ctx: RuleContext, run: RunInfo): ShellRun | null {
  const i = run.instruction;
  if (i.json || i.heredocs.length > 0 || run.script !== i.args) return null;
  const map = mapArgs(ctx.dockerfile, i);
  return map ? { run, map } : null;
}

/** True when a comment line sits between the instruction's first and last line. */
export function hasInnerComments(df: Dockerfile, instruction: Instruction): boolean {
  return df.comments.some((c) => c.line > instruction.line && c.line <= instruction.endLine);
}

/**
 * Where to insert a new line "before" an instruction: above the comment lines directly on top
 * of it, so `# hadolint ignore=` pragmas stay attached to the instruction they precede.
 */
export function insertionPointBefore(df: Dockerfile, instruction: Instruction): number {
  const starts = lineStarts(df);
  const previous = df.instructions.findLast((i) => i.endLine < instruction.line);
  const directivesEnd = df.directives.at(-1)?.line ?? 0;
  // 0-based index of the first line we may insert at.
  const floor = Math.max(previous?.endLine ?? 0, directivesEnd);
  let index = instruction.line - 1;
  const isCommentOrBlank = (k: number) => {
    const t = df.lines[k]!.trim();
    return t === "" || t.startsWith("#");
  };
  // A pragma reaches the next instruction across blank lines, so step over both…
  while (index - 1 >= floor && isCommentOrBlank(index - 1)) index--;
  // …then back below leading blank lines, to keep the author's spacing.
  while (index < instruction.line - 1 && df.lines[index]!.trim() === "") index++;
  return starts[index]!;
}

/** The keyword spelled in the casing of an existing one (`run` → `copy`, `RUN` → `COPY`). */
export function inCasingOf(keyword: string, example: string): string {
  if (example === example.toLowerCase()) return keyword.toLowerCase();
  return keyword.toUpperCase();
}

/** Source span of the keyword of `instruction` (the wrapped one for `ONBUILD X`), or null. */
export function keywordSpan(
  df: Dockerfile,
  outer: Instruction,
  instruction: Instruction = outer,
): Span | null {
  let at = outer.start;
  const skipBlanks = () => {
    while (df.source[at] === " " || df.source[at] === "\t") at++;
  };
  skipBlanks();
  if (instruction !== outer) {
    if (df.source.slice(at, at + outer.rawKeyword.length) !== outer.rawKeyword) return null;
    at += outer.rawKeyword.length;
    skipBlanks();
  }
  if (df.source.slice(at, at + instruction.rawKeyword.length) !== instruction.rawKeyword) return null;
  return { start: at, end: at + instruction.rawKeyword.length };
}

/** Source span of the whole argument text (continuations included), or null. */
export function argsSourceSpan(
  df: Dockerfile,
  instruction: Instruction,
): { map: ArgsMap; span: Span } | null {
  const map = mapArgs(df, instruction);
  if (!map || map.args.length === 0) return null;
  return { map, span: sourceSpan(map, 0, map.args.length) };
}
