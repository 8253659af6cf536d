import { copyOperands, isArchive } from "../support/copy-args.ts";
import { dropQuotes } from "../support/words.ts";
import type { Rule } from "../types.ts";

/** Remote sources ADD fetches: http(s) URLs and git repositories (`git@host:repo.git`). */
function isRemote(source: string): boolean {
  return /^(https?:\/\/|git@)/i.test(dropQuotes(source));
}

/**
 * ADD of plain files or folders (hadolint DL3020): COPY is explicit about not extracting or
 * fetching. ADD is fine when every source is a local archive (extracted) or remote.
 */
export const rule: Rule = {
  code: "DL3020",
  severity: "error",
  message: "Use COPY instead of ADD for files and folders",
  check({ dockerfile }) {
    return dockerfile.instructions
      .filter((i) => i.keyword === "ADD")
      .filter((i) => {
        const operands = copyOperands(i, dockerfile.escape);
        return operands !== null && !operands.sources.every((s) => isArchive(s) || isRemote(s));
      })
      .map((i) => ({ line: i.line }));
  },
};
