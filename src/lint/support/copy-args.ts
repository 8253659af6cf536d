/**
 * Sources and destination of COPY/ADD (https://docs.docker.com/reference/dockerfile/#copy):
 * exec form `["src", ..., "dest"]` or blank-separated words, where quotes keep a path with
 * spaces in one word.
 */
import type { Instruction } from "../../dockerfile/parse.ts";
import { objectList } from "../../dockerfile/shapes.ts";
import { ObjectMemo } from "./memo.ts";
import { dropQuotes, type EscapeChar, instructionWords, unquote } from "./words.ts";

export interface CopyOperands {
  sources: string[];
  dest: string;
}

/**
 * The operands as written: shell-form words keep their quotes (the hadolint rules compare
 * them after dropQuotes). Heredoc markers count as sources.
 */
export function copyOperands(instruction: Instruction, escapeChar: EscapeChar = "\\"): CopyOperands | null {
  const words = instruction.json ?? instructionWords(instruction, escapeChar);
  if (words.length < 2) return null;
  return { sources: words.slice(0, -1), dest: words[words.length - 1]! };
}

/** The operands as paths (unquoted); null for heredocs, whose sources are not files. */
export function copyPaths(instruction: Instruction, escapeChar: EscapeChar = "\\"): CopyOperands | null {
  if (instruction.heredocs.length > 0) return null;
  const operands = copyOperands(instruction, escapeChar);
  if (!operands || instruction.json) return operands;
  // Pushed, not mapped: one array map for every list (src/dockerfile/shapes.ts).
  const sources = objectList<string>();
  for (const source of operands.sources) sources.push(unquote(source, escapeChar));
  return { sources, dest: unquote(operands.dest, escapeChar) };
}

/** Sources that mean "everything in the build context". */
const WHOLE_CONTEXT_SOURCES = new Set([".", "./", "./.", "*", "./*", "/", "/."]);

/**
 * `COPY . .`, `COPY ./ /app`, `ADD . /app`, `COPY --chown=x . .`: a COPY/ADD of the whole build
 * context (not `--from` another stage or image).
 */
export function isWholeContextCopy(instruction: Instruction, escapeChar: EscapeChar = "\\"): boolean {
  if (instruction.keyword !== "COPY" && instruction.keyword !== "ADD") return false;
  // DD001 and DD003 ask about every COPY of a file, DD001 twice: read once per instruction.
  const answers = wholeContextCopies[escapeChar];
  let answer = answers.get(instruction);
  if (answer === undefined) {
    answer = copiesWholeContext(instruction, escapeChar);
    answers.set(instruction, answer);
  }
  return answer;
}

/** isWholeContextCopy's answers, per escape character (booleans: nothing allocated per answer). */
const wholeContextCopies = {
  "\\": new ObjectMemo<Instruction, boolean>(),
  "`": new ObjectMemo<Instruction, boolean>(),
} as const;

function copiesWholeContext(instruction: Instruction, escapeChar: EscapeChar): boolean {
  if (instruction.flags.some((f) => f.name === "from")) return false;
  const operands = copyPaths(instruction, escapeChar);
  return !!operands && operands.sources.some((s) => WHOLE_CONTEXT_SOURCES.has(s));
}

/** Last path component; `\` separates too, for Windows paths. */
export function pathBasename(path: string): string {
  const clean = dropQuotes(path);
  return clean.slice(Math.max(clean.lastIndexOf("/"), clean.lastIndexOf("\\")) + 1);
}

/** Suffixes of the archives ADD extracts (hadolint's archiveFileFormatExtensions). */
export const ARCHIVE_EXTENSIONS = [
  ".tar",
  ".Z",
  ".bz2",
  ".gz",
  ".lz",
  ".lzma",
  ".tZ",
  ".tb2",
  ".tbz",
  ".tbz2",
  ".tgz",
  ".tlz",
  ".tpz",
  ".txz",
  ".xz",
];

export function isArchive(path: string): boolean {
  const clean = dropQuotes(path);
  return ARCHIVE_EXTENSIONS.some((ext) => clean.endsWith(ext));
}
