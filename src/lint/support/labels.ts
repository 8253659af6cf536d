/**
 * LABEL instructions and the label-schema checks built on them (hadolint DL3048–DL3058;
 * https://docs.docker.com/reference/dockerfile/#label).
 */
import type { Instruction } from "../../dockerfile/parse.ts";
import type { LabelType, RuleContext, RuleHit } from "../types.ts";
import { labelValueValid } from "./label-formats.ts";
import { type KeyValue, keyValues } from "./words.ts";

/**
 * LABEL instructions with their pairs (https://docs.docker.com/reference/dockerfile/#label).
 * Like hadolint, the label rules read top-level LABELs only: an ONBUILD LABEL labels the
 * child image, not this one.
 */
export function labels(ctx: RuleContext): { instruction: Instruction; pairs: KeyValue[] }[] {
  return ctx.dockerfile.instructions
    .filter((i) => i.keyword === "LABEL")
    .map((instruction) => ({ instruction, pairs: keyValues(instruction, ctx.dockerfile.escape) }));
}

/**
 * One hit per (schema label, LABEL instruction) where the label's value fails `invalid`,
 * with the label named in the message (hadolint builds one rule per schema label).
 */
export function badLabelValues(
  ctx: RuleContext,
  types: readonly LabelType[] | "any",
  invalid: (value: string, type: LabelType) => boolean,
  message: (label: string) => string,
): RuleHit[] {
  const hits: RuleHit[] = [];
  const schema = Object.entries(ctx.settings.labelSchema).filter(
    ([, type]) => types === "any" || types.includes(type),
  );
  for (const [label, type] of schema) {
    for (const { instruction, pairs } of labels(ctx)) {
      if (pairs.some((p) => p.key === label && invalid(p.value, type))) {
        hits.push({ line: instruction.line, message: message(label) });
      }
    }
  }
  return hits.sort((a, b) => a.line - b.line);
}

/** The value check of a schema type, as a rule over that type's labels. */
export function formatViolations(
  ctx: RuleContext,
  type: LabelType,
  message: (label: string) => string,
): RuleHit[] {
  return badLabelValues(ctx, [type], (value) => !labelValueValid(type, value), message);
}
