import { literalWord } from "../support/expand.ts";
import { instructionWords } from "../support/words.ts";
import type { Rule, RuleHit } from "../types.ts";

/**
 * BuildKit's ExposeInvalidFormat (https://docs.docker.com/reference/build-checks/expose-invalid-format/):
 * EXPOSE declares container ports only; an IP address or a host port (`8080:80`,
 * `127.0.0.1:80:80`) belongs to `docker run -p`, and BuildKit plans to reject it. Ports
 * written with variables are skipped: their value is only known at build time.
 */
export const rule: Rule = {
  code: "DD103",
  severity: "warning",
  message: "EXPOSE should not define an IP address or host-port mapping",
  aliases: ["ExposeInvalidFormat"],
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== "EXPOSE") continue;
      for (const word of instructionWords(instruction, dockerfile.escape)) {
        if (word.includes("$")) continue;
        const port = literalWord(word, dockerfile.escape);
        if (!port.includes(":")) continue;
        hits.push({
          line: instruction.line,
          message: `EXPOSE instruction should not define an IP address or host-port mapping, found '${port}'`,
        });
      }
    }
    return hits;
  },
};
