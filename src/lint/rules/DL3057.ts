import type { Rule } from "../types.ts";

/**
 * A stage without HEALTHCHECK (hadolint DL3057; severity `ignore`, so reported only when
 * raised in the config). A stage built on a stage with a HEALTHCHECK inherits it, and a
 * HEALTHCHECK (even `NONE`) in a stage also settles every stage it builds on.
 */
export const rule: Rule = {
  code: "DL3057",
  severity: "ignore",
  message: "`HEALTHCHECK` instruction missing.",
  check({ dockerfile }) {
    const { stages } = dockerfile;
    const good = new Set<number>();
    const bad = new Set<number>();
    // Marks the stages `index` builds on (by stage name, transitively) as settled.
    const settleAncestors = (index: number) => {
      const base = stages[index]!.image.toLowerCase();
      for (const other of [...bad]) {
        if (stages[other]!.name === base) {
          bad.delete(other);
          good.add(other);
          settleAncestors(other);
        }
      }
    };
    for (const instruction of dockerfile.instructions) {
      const stage = stages[instruction.stage];
      if (!stage) continue;
      if (instruction.keyword === "FROM") {
        const base = stage.image.toLowerCase();
        const inherits = [...good].some((g) => stages[g]!.name === base);
        (inherits ? good : bad).add(stage.index);
      } else if (instruction.keyword === "HEALTHCHECK") {
        bad.delete(stage.index);
        good.add(stage.index);
        settleAncestors(stage.index);
      }
    }
    return [...bad].sort((a, b) => a - b).map((index) => ({ line: stages[index]!.from.line }));
  },
};
