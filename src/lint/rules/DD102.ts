import type { Instruction } from "../../dockerfile/parse.ts";
import { cleanContextPath, readIgnoreFile } from "../support/dockerignore.ts";
import { literalWord } from "../support/expand.ts";
import { instructionWords } from "../support/words.ts";
import type { Rule, RuleHit } from "../types.ts";

/**
 * BuildKit's CopyIgnoredFile (https://docs.docker.com/reference/build-checks/copy-ignored-file/):
 * a COPY or ADD source that `.dockerignore` leaves out of the build context is not there at
 * build time, so the build fails (or, with wildcards, silently copies less).
 *
 * As in BuildKit, the check is skipped when `.dockerignore` has exception patterns (`!`),
 * and `.` is reported only when a pattern excludes every top-level entry. Sources from
 * another stage or image (`--from`), URLs, heredocs and sources holding variables are not
 * context paths we can judge. Unlike BuildKit, a leading `/` is read as the context root.
 * Only `.dockerignore` at the context root is read, not a `<Dockerfile>.dockerignore`.
 */
export const rule: Rule = {
  code: "DD102",
  severity: "warning",
  message: "COPY/ADD source is excluded by .dockerignore",
  aliases: ["CopyIgnoredFile"],
  check({ dockerfile, context }) {
    const text = context.readFile(".dockerignore");
    const matcher = text === null ? null : readIgnoreFile(text);
    if (!matcher) return [];
    const hits: RuleHit[] = [];
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== "COPY" && instruction.keyword !== "ADD") continue;
      if (instruction.flags.some((f) => f.name === "from")) continue;
      const verb = instruction.keyword === "ADD" ? "Add" : "Copy";
      for (const source of contextSources(instruction, dockerfile.escape)) {
        if (!matcher.excludes(source)) continue;
        hits.push({
          line: instruction.line,
          message: `Attempting to ${verb} file "${cleanContextPath(source) || "."}" that is excluded by .dockerignore`,
        });
      }
    }
    return hits;
  },
};

/** Literal source paths of a COPY/ADD that name files of the build context. */
function contextSources(instruction: Instruction, escapeChar: "\\" | "`"): string[] {
  const words = instruction.json ?? instructionWords(instruction, escapeChar);
  const sources = words.slice(0, -1);
  return sources
    .filter((word) => !word.startsWith("<<") && !word.includes("$"))
    .map((word) => (instruction.json ? word : literalWord(word, escapeChar)))
    .filter((path) => path !== "" && !/^[a-z][a-z0-9+.-]*:\/\//i.test(path) && !path.startsWith("git@"));
}
