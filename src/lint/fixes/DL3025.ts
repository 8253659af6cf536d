import type { Instruction } from "../../dockerfile/parse.ts";
import { isPlainWord } from "../support/shell-words.ts";
import { argsSourceSpan, hasInnerComments, instructionAt, sourceSpan } from "../support/source-map.ts";
import type { Fixer, RuleContext } from "../types.ts";

/**
 * Words that are shell syntax or builtins: in exec form there is no shell to run them.
 * (POSIX special built-ins and reserved words, plus common bash ones.)
 */
const SHELL_ONLY = new Set(
  (
    "! { } ( ) [[ ]] . : alias bg break builtin case cd command continue declare do done elif else esac " +
    "eval exec exit export fc fg fi for function getopts hash if in jobs let local read readonly return " +
    "select set shift source then time times trap type typeset ulimit umask unalias unset until wait while"
  ).split(" "),
);

/**
 * DL3025: `CMD node server.js` → `CMD ["node", "server.js"]` (also ENTRYPOINT and
 * HEALTHCHECK CMD). Only when the shell would do nothing but split words: every word plain (no
 * quotes, variables, globs, operators), no shell builtin, and no SHELL in the stage. ENTRYPOINT
 * is left alone when the stage has a CMD: in exec form the CMD would become its arguments.
 */
export const fixer: Fixer = {
  code: "DL3025",
  fix(ctx, hit) {
    const found = instructionAt(ctx.dockerfile, hit.line, "CMD", "ENTRYPOINT", "HEALTHCHECK");
    if (!found) return null;
    const { instruction } = found;
    if (instruction.json || instruction.heredocs.length > 0) return null;
    // The words first: most commands the shell must run are refused on them alone, before the
    // stage and the source map are looked at.
    let commandStart = 0;
    if (instruction.keyword === "HEALTHCHECK") {
      const match = /^CMD\s+/i.exec(instruction.args);
      if (!match) return null;
      commandStart = match[0].length;
    }
    const words = instruction.args.slice(commandStart).trim().split(/\s+/);
    if (words.length === 0 || !words.every(isPlainWord) || SHELL_ONLY.has(words[0]!)) return null;
    if (words[0]!.includes("=")) return null; // `VAR=x cmd`: an assignment, shell syntax
    if (hasInnerComments(ctx.dockerfile, found.outer) || stageHas(ctx, found.outer, "SHELL")) return null;
    if (instruction.keyword === "ENTRYPOINT") {
      // ONBUILD ENTRYPOINT meets the CMD of a child image we cannot see.
      if (instruction !== found.outer || stageHas(ctx, found.outer, "CMD")) return null;
    }
    const located = argsSourceSpan(ctx.dockerfile, instruction);
    if (!located) return null;
    const span = sourceSpan(located.map, commandStart, instruction.args.length);
    return {
      description: `use JSON (exec) form for ${instruction.keyword}`,
      edits: [{ ...span, text: `[${words.map((w) => JSON.stringify(w)).join(", ")}]` }],
    };
  },
};

/** True when the stage of `outer` has an instruction of that keyword (ONBUILD ones apart). */
function stageHas(ctx: RuleContext, outer: Instruction, keyword: string): boolean {
  const stage = ctx.dockerfile.stages[outer.stage];
  const instructions = stage ? stage.instructions : ctx.dockerfile.instructions.filter((i) => i.stage === -1);
  return instructions.some((i) => i.keyword === keyword);
}
