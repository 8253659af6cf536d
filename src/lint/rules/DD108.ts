import type { Dockerfile, Instruction } from "../../dockerfile/parse.ts";
import { mapToList, objectList } from "../../dockerfile/shapes.ts";
import { fromWords } from "../support/stages.ts";
import { argDeclarations } from "../support/words.ts";
import type { Rule, RuleHit } from "../types.ts";

/** Comments that are tool directives, never descriptions. */
const PRAGMA = /^(?:(?:hadolint|drydock)\s|check\s*=)/;

/**
 * BuildKit's InvalidDefinitionDescription
 * (https://docs.docker.com/reference/build-checks/invalid-definition-description/): a comment
 * right above `FROM ... AS name` or `ARG name` is that definition's description (shown by
 * `docker build --call=outline` / `--call=targets`) and should start with the name:
 * `# name description`. A blank line or a bare `#` in between detaches the comment.
 *
 * Experimental in BuildKit, so off by default here too (severity `ignore`): enable it with a
 * severity override, e.g. `--info DD108`. Lint pragmas (`# hadolint ...`, `# drydock ...`,
 * `# check=...`) are not taken for descriptions.
 */
export const rule: Rule = {
  code: "DD108",
  severity: "ignore",
  message: "Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`",
  aliases: ["InvalidDefinitionDescription"],
  check({ dockerfile }) {
    const comments = new Map(dockerfile.comments.map((c) => [c.line, c.text]));
    const hits: RuleHit[] = [];
    for (const instruction of dockerfile.instructions) {
      const names = definedNames(dockerfile, instruction);
      if (names.length === 0) continue;
      const comment = comments.get(instruction.line - 1);
      if (comment === undefined || comment === "" || PRAGMA.test(comment)) continue;
      if (names.includes(comment.split(" ")[0]!)) continue;
      const example = names.length > 1 ? "<arg_key>" : names[0]!;
      hits.push({
        line: instruction.line,
        message: `Comment for ${instruction.keyword} should follow the format: \`# ${example} <description>\``,
      });
    }
    return hits;
  },
};

/** The names an ARG declares, or the stage name of a FROM (lower case, as BuildKit keeps it). */
function definedNames(df: Dockerfile, instruction: Instruction): string[] {
  // Lists of one array map (src/dockerfile/shapes.ts): the caller reads them all.
  if (instruction.keyword === "ARG") return mapToList(argDeclarations(instruction, df.escape), (a) => a.name);
  const names = objectList<string>();
  if (instruction.keyword !== "FROM") return names;
  const words = fromWords(instruction, df.escape);
  if (words.length >= 3 && words[1]!.toLowerCase() === "as") names.push(words[2]!.toLowerCase());
  return names;
}
