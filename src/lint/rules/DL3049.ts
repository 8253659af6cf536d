import { type Dockerfile, flagValue } from "../../dockerfile/parse.ts";
import { keyValues } from "../support/words.ts";
import type { Rule, RuleHit } from "../types.ts";

/**
 * A label of the schema missing from a stage (hadolint DL3049), reported at the stage's FROM.
 * Like hadolint: a stage built on a stage that has the label has it too; a stage that is only
 * a source of `COPY --from` needs none; and a stage whose child adds the label (`FROM x` then
 * `LABEL`) is excused.
 */
export const rule: Rule = {
  code: "DL3049",
  severity: "info",
  message: "Label `<label>` is missing.",
  check({ dockerfile, settings }) {
    return Object.keys(settings.labelSchema).flatMap((label) => missingLabel(dockerfile, label));
  },
};

function missingLabel(df: Dockerfile, label: string): RuleHit[] {
  const good = new Set<number>();
  const bad = new Set<number>();
  const silenceNamed = (name: string) => {
    for (const index of bad) if (df.stages[index]!.name === name || String(index) === name) bad.delete(index);
  };
  for (const instruction of df.instructions) {
    const stage = df.stages[instruction.stage];
    if (!stage) continue;
    if (instruction.keyword === "FROM") {
      const base = stage.image.toLowerCase();
      const fromLabelled = [...good].some((index) => df.stages[index]!.name === base);
      (fromLabelled ? good : bad).add(stage.index);
    } else if (instruction.keyword === "COPY") {
      const source = flagValue(instruction, "from");
      if (source) silenceNamed(source.toLowerCase());
    } else if (
      instruction.keyword === "LABEL" &&
      keyValues(instruction, df.escape).some((p) => p.key === label)
    ) {
      silenceNamed(stage.name ?? stage.image.toLowerCase());
      bad.delete(stage.index);
      good.add(stage.index);
    }
  }
  return [...bad].map((index) => ({
    line: df.stages[index]!.from.line,
    message: `Label \`${label}\` is missing.`,
  }));
}
