import { literalWord } from "../support/expand.ts";
import { instructionWords } from "../support/words.ts";
import type { Rule, RuleHit } from "../types.ts";

const PROTOCOLS = new Set(["tcp", "udp", "sctp"]);

/**
 * BuildKit's ExposeProtoCasing (https://docs.docker.com/reference/build-checks/expose-proto-casing/):
 * the protocol after the port (`80/tcp`) should be lower case. BuildKit accepts `80/TCP` but
 * the image then records the port in a casing other tools may not expect.
 */
export const rule: Rule = {
  code: "DD104",
  severity: "warning",
  message: "Protocol in EXPOSE should be lowercase",
  aliases: ["ExposeProtoCasing"],
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== "EXPOSE") continue;
      for (const word of instructionWords(instruction, dockerfile.escape)) {
        const slash = word.lastIndexOf("/");
        if (slash === -1 || word.slice(slash).includes("$")) continue;
        const port = word.includes("$") ? word : literalWord(word, dockerfile.escape);
        const protocol = port.slice(port.lastIndexOf("/") + 1);
        if (!PROTOCOLS.has(protocol.toLowerCase()) || protocol === protocol.toLowerCase()) continue;
        hits.push({
          line: instruction.line,
          message: `Defined protocol '${port}' in EXPOSE instruction should be lowercase`,
        });
      }
    }
    return hits;
  },
};
