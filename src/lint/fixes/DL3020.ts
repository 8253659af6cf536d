import { copyOperands, isArchive } from "../support/copy-args.ts";
import { inCasingOf, instructionAt, keywordSpan } from "../support/source-map.ts";
import { dropQuotes } from "../support/words.ts";
import type { ContextAccess, Fixer } from "../types.ts";

/** Flags COPY accepts as ADD does (https://docs.docker.com/reference/dockerfile/#copy). */
const COPY_FLAGS = new Set(["chown", "chmod", "link", "exclude"]);

/**
 * DL3020: `ADD file dest` → `COPY file dest`. ADD extracts a local tar archive whatever its
 * name, so each source must be known not to be one: a text file in the build context (read
 * through the context), a folder (ADD does not extract archives inside folders), or, when the
 * context cannot be read, a name with a non-archive extension. URLs, variables and globs
 * (which might match an archive) get no fix.
 */
export const fixer: Fixer = {
  code: "DL3020",
  fix(ctx, hit) {
    const found = instructionAt(ctx.dockerfile, hit.line, "ADD");
    if (!found) return null;
    const { outer, instruction } = found;
    if (instruction.heredocs.length > 0) return null;
    if (instruction.flags.some((f) => !COPY_FLAGS.has(f.name))) return null;
    const operands = copyOperands(instruction, ctx.dockerfile.escape);
    if (!operands?.sources.every((s) => isPlainLocalFile(dropQuotes(s), ctx.context))) return null;
    const keyword = keywordSpan(ctx.dockerfile, outer, instruction);
    if (!keyword) return null;
    return {
      description: "use COPY instead of ADD",
      edits: [{ ...keyword, text: inCasingOf("COPY", instruction.rawKeyword) }],
    };
  },
};

function isPlainLocalFile(source: string, context: ContextAccess): boolean {
  if (source === "" || /[$*?[\]\\]/.test(source) || /^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return false;
  if (source.startsWith("git@") || isArchive(source) || /\.t?zst$/.test(source)) return false;
  const path = source.replace(/^\/+/, "");
  if (context.dir !== null) {
    const content = context.readFile(path === "" ? "." : path);
    // Not readable as a file: a folder, or missing (then both ADD and COPY fail the same way).
    if (content === null) return true;
    // Tar, gzip, bzip2 and xz data hold NUL bytes or invalid UTF-8 (read back as U+FFFD).
    return !content.includes("\0") && !content.includes("\uFFFD");
  }
  const name = path.replace(/\/+$/, "").split("/").pop() ?? "";
  return source.endsWith("/") || name === "." || name === ".." || /\.[A-Za-z0-9]+$/.test(name);
}
