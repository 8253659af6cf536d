import { describe, expect, it } from "vitest";
import { analyze } from "../../src/lint/engine.ts";
import { defaultLintSettings } from "../../src/lint/settings.ts";
import { DEFAULT_SEED, describeCorpus, type GeneratedFile, generateCorpus } from "./corpus.mjs";

const corpus: GeneratedFile[] = generateCorpus();

/** Parse errors only: the rules (others' work) are not run, so their state can't fail this test. */
function parseErrors(file: GeneratedFile) {
  return analyze(file.content, file.name, defaultLintSettings(), undefined, []).hits.filter(
    (h) => h.code === "DL1000",
  );
}

describe("lint benchmark corpus", () => {
  it("is deterministic: the same seed gives the same files, another seed other files", () => {
    const again: GeneratedFile[] = generateCorpus({ seed: DEFAULT_SEED });
    expect(again.map((f) => [f.name, f.content])).toEqual(corpus.map((f) => [f.name, f.content]));
    const other: GeneratedFile[] = generateCorpus({ seed: DEFAULT_SEED + 1, count: 50 });
    expect(other.map((f) => f.content)).not.toEqual(corpus.slice(0, 50).map((f) => f.content));
  });

  it("has at least 1,000 uniquely named files of 5 to about 200 lines", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(1000);
    expect(new Set(corpus.map((f) => f.name)).size).toBe(corpus.length);
    for (const file of corpus) {
      expect(file.name).toMatch(/\.Dockerfile$/);
      expect(file.lines).toBeGreaterThanOrEqual(5);
      expect(file.lines).toBeLessThanOrEqual(230);
    }
  });

  it("varies stacks, stages, heredocs, line endings and the escape character", () => {
    const stats = describeCorpus(corpus);
    expect(Object.keys(stats.stacks).length).toBeGreaterThanOrEqual(9);
    expect(stats.multiStage).toBeGreaterThan(corpus.length / 5);
    expect(stats.heredoc).toBeGreaterThan(50);
    expect(stats.crlf).toBeGreaterThan(10);
    expect(stats.backtickEscape).toBeGreaterThan(10);
    expect(stats.syntaxErrors).toBeGreaterThan(5);
    expect(stats.lines.max).toBeGreaterThanOrEqual(150);
    for (const needle of [
      "apt-get install",
      "apk add",
      "dnf install",
      "yum install",
      "pip install",
      "npm ",
      "gem install",
      "COPY --from=",
      "HEALTHCHECK",
      "ADD https://",
    ]) {
      expect(
        corpus.some((f) => f.content.includes(needle)),
        needle,
      ).toBe(true);
    }
  });

  it("parses every file without DL1000 except the intended syntax errors, which all fail", () => {
    const unexpected: string[] = [];
    const missed: string[] = [];
    for (const file of corpus) {
      const errors = parseErrors(file);
      if (file.syntaxError === null && errors.length > 0) {
        unexpected.push(`${file.name}:${errors[0]!.line}: ${errors[0]!.message}`);
      }
      if (file.syntaxError !== null && errors.length === 0) missed.push(`${file.name} (${file.syntaxError})`);
    }
    expect(unexpected).toEqual([]);
    expect(missed).toEqual([]);
  });
});
