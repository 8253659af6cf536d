import type { Instruction } from "../../../dockerfile/parse.ts";
import { splitWords } from "./image-ref.ts";

/**
 * Sources and destination of COPY/ADD (https://docs.docker.com/reference/dockerfile/#copy):
 * exec form `["src", ..., "dest"]` or whitespace-separated words, where quotes keep a path
 * with spaces in one word. Words keep their quotes; use dropQuotes when comparing paths.
 */
export function copyOperands(instruction: Instruction): { sources: string[]; target: string } | null {
  const words = instruction.json ?? splitWords(instruction.args);
  if (words.length < 2) return null;
  return { sources: words.slice(0, -1), target: words[words.length - 1]! };
}

/** Strips quote characters from both ends (hadolint's dropQuotes). */
export function dropQuotes(word: string): string {
  return word.replace(/^["']+|["']+$/g, "");
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
