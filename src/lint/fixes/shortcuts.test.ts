/**
 * Fixers answer some questions without running their rule again (that was much of the cost of
 * `fixable` in a lint run). Each shortcut must give exactly what asking the rule gives: checked
 * here on every RUN command of the generated benchmark corpus and of hadolint's rule tests.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateCorpus } from "../../../bench/lint/corpus.mjs";
import { sharedDir } from "../../test-helpers/shared.ts";
import { analyze, prepareAnalysis } from "../engine.ts";
import * as DL3014 from "../rules/DL3014.ts";
import * as DL3015 from "../rules/DL3015.ts";
import * as DL3019 from "../rules/DL3019.ts";
import * as DL3027 from "../rules/DL3027.ts";
import * as DL3047 from "../rules/DL3047.ts";
import { rule as DL4006, reportedRuns } from "../rules/DL4006.ts";
import { defaultLintSettings } from "../settings.ts";
import { flaggedByRule, flaggedByRunsWhere } from "../support/run-edits.ts";
import { skipUnit, splitBlank, type WordSpan } from "../support/shell-words.ts";
import { fixer as DL4006Fixer } from "./DL4006.ts";

const hadolintCases = JSON.parse(
  readFileSync(join(sharedDir(), "conformance", "hadolint-cases.json"), "utf8"),
) as { rules: Record<string, { dockerfile: string }[]> };

/** Every Dockerfile text the shortcuts are checked on. */
const SOURCES: string[] = [
  ...generateCorpus().map((file) => file.content),
  ...Object.values(hadolintCases.rules).flatMap((cases) => cases.map((c) => `${c.dockerfile}\n`)),
];

const settings = defaultLintSettings();

describe("flaggedByRunsWhere gives what asking the rule about each command alone gives", () => {
  for (const rules of [DL3014, DL3015, DL3019, DL3027, DL3047]) {
    it(rules.rule.code, () => {
      const shortcut = flaggedByRunsWhere(rules.FLAGGED_PROGRAMS, rules.flagsCommand);
      const askRule = flaggedByRule(rules.rule);
      let commands = 0;
      let flagged = 0;
      for (const source of SOURCES) {
        const ctx = prepareAnalysis(source, "Dockerfile", settings).ruleContext;
        for (const run of ctx.runs) {
          for (const cmd of run.commands) {
            const expected = askRule(cmd, run, ctx);
            expect(shortcut(cmd, run, ctx)).toBe(expected);
            commands++;
            if (expected) flagged++;
          }
        }
      }
      expect(commands).toBeGreaterThan(10_000);
      expect(flagged).toBeGreaterThan(10);
    });
  }
});

describe("DL4006's fixer", () => {
  it("sees the RUNs the rule reports, whether or not the rule has checked the context", () => {
    let fixes = 0;
    for (const source of SOURCES) {
      const analysis = analyze(source, "Dockerfile", settings);
      const hits = analysis.hits.filter((h) => h.code === "DL4006");
      if (hits.length === 0) continue;
      // A context the rules never ran on: the fixer works the reported RUNs out itself.
      const fresh = prepareAnalysis(source, "Dockerfile", settings).ruleContext;
      for (const hit of hits) {
        const location = { code: hit.code, line: hit.line, message: hit.message };
        expect(DL4006Fixer.fix(fresh, location) ?? undefined).toEqual(hit.fix);
        if (hit.fix) fixes++;
      }
      const unchecked = prepareAnalysis(source, "Dockerfile", settings).ruleContext;
      expect(reportedRuns(unchecked)).toEqual(DL4006.check(unchecked));
      expect(reportedRuns(analysis.ruleContext).map((h) => h.line)).toEqual(hits.map((h) => h.line));
    }
    expect(fixes).toBeGreaterThan(100);
  });

  it("gives each finding a fix object of its own", () => {
    const source = "FROM debian:bookworm\nRUN curl -s x | sh\nRUN wget -qO- y | tar x\n";
    const fixes = analyze(source, "Dockerfile", settings)
      .hits.filter((h) => h.code === "DL4006")
      .map((h) => h.fix);
    expect(fixes).toHaveLength(2);
    expect(fixes[0]).toEqual(fixes[1]);
    expect(fixes[0]).not.toBe(fixes[1]);
    expect(fixes[0]!.edits[0]).not.toBe(fixes[1]!.edits[0]);
  });
});

/** splitBlank as it was, a character at a time (same quoting units): the reference for the faster one. */
function splitBlankByCharacter(script: string, from: number, to: number): WordSpan[] {
  const words: WordSpan[] = [];
  let k = from;
  while (k < to) {
    const c = script[k]!;
    if (c === " " || c === "\t" || c === "\n") {
      k++;
      continue;
    }
    const start = k;
    while (k < to && !" \t\n".includes(script[k]!)) k = skipUnit(script, k, to);
    words.push({ raw: script.slice(start, k), start, end: k });
  }
  return words;
}

describe("splitBlank", () => {
  it("splits every RUN command as reading a character at a time does", () => {
    let commands = 0;
    for (const source of SOURCES) {
      for (const run of prepareAnalysis(source, "Dockerfile", settings).ruleContext.runs) {
        for (const cmd of run.commands) {
          expect(splitBlank(run.script, cmd.start, cmd.end)).toEqual(
            splitBlankByCharacter(run.script, cmd.start, cmd.end),
          );
          commands++;
        }
      }
    }
    expect(commands).toBeGreaterThan(10_000);
  });

  it("splits any text, cut anywhere, as reading a character at a time does", () => {
    const alphabet = [" ", "\t", "\n", "\\", "'", '"', "`", "$", "(", ")", "a", "-", "=", "/"];
    let seed = 1;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 3000; round++) {
      const length = random(24);
      const text = Array.from({ length }, () => alphabet[random(alphabet.length)]).join("");
      const from = random(length + 1);
      const to = from + random(length - from + 1);
      expect(splitBlank(text, from, to)).toEqual(splitBlankByCharacter(text, from, to));
    }
  });
});
