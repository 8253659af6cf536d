import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { type Dockerfile, parseDockerfile, parseJsonForm } from "../dockerfile/parse.ts";
import { basename } from "../dockerfile/shell.ts";
import { REPO_ROOT, sharedDir } from "../test-helpers/shared.ts";
import { applyEdits, applyFixes, chooseNonOverlapping, type FixCandidate } from "./fix.ts";
import { df, fakeContext, fixAll } from "./fixes/test-kit.ts";
import { lint, writeFixes } from "./lint.ts";
import { collectRuns } from "./run-info.ts";
import { defaultLintSettings, type LintSettings } from "./settings.ts";
import { keyValues } from "./support/words.ts";

const SEED_BAD = df(
  "FROM debian:bookworm-slim",
  "RUN apt-get update",
  "RUN apt-get install -y curl",
  "RUN rm -rf /var/lib/apt/lists/*",
);
const SEED_GOOD = df(
  "FROM debian:bookworm-slim",
  "RUN apt-get update && \\",
  "    apt-get install -y --no-install-recommends curl && \\",
  "    rm -rf /var/lib/apt/lists/*",
);

function fix(source: string, settings: Partial<LintSettings> = {}) {
  return applyFixes(source, "Dockerfile", { ...defaultLintSettings(), ...settings });
}

describe("applyFixes", () => {
  test("turns the seed's bad layer example into the good one", () => {
    const result = fix(SEED_BAD);
    expect(result.output).toBe(SEED_GOOD);
    expect(result.applied.map((a) => a.code)).toEqual(expect.arrayContaining(["DD002", "DL3015"]));
  });

  test("fixes examples/seed-bad (layers, pip cache, exec-form CMD)", () => {
    const source = readFileSync(join(REPO_ROOT, "examples", "seed-bad", "Dockerfile"), "utf8");
    const body = fixAll(source)
      .split("\n")
      .filter((l) => !l.startsWith("#"));
    expect(body.join("\n")).toBe(
      [
        "FROM python:3.12",
        "WORKDIR /app",
        "COPY . .",
        "RUN pip install --no-cache-dir -r requirements.txt",
        "RUN apt-get update && \\",
        "    apt-get install -y --no-install-recommends curl && \\",
        "    rm -rf /var/lib/apt/lists/*",
        'CMD ["python", "app.py"]',
        "",
      ].join("\n"),
    );
  });

  test("a clean file is left alone", () => {
    expect(fix(SEED_GOOD)).toEqual({ output: SEED_GOOD, applied: [] });
  });

  test("lists what it applied, in order", () => {
    const { applied } = fix(df("FROM debian:bookworm-slim", "MAINTAINER jo", "ADD app.py /app/"));
    expect(applied).toEqual([
      { code: "DL4000", line: 2, description: "replace MAINTAINER with a maintainer LABEL" },
      { code: "DL3020", line: 3, description: "use COPY instead of ADD" },
    ]);
  });

  test("CRLF input: fixed, with LF line endings (writeFixes restores CRLF)", () => {
    const result = fix(SEED_BAD.replace(/\n/g, "\r\n"));
    expect(result.output).toBe(SEED_GOOD);
  });

  test("writeFixes keeps a CRLF file CRLF", async () => {
    const dir = mkdtempSync(join(tmpdir(), "drydock-fix-"));
    try {
      const file = join(dir, "Dockerfile");
      writeFileSync(file, SEED_BAD.replace(/\n/g, "\r\n"));
      const report = await lint({ paths: [file], fix: true, settings: { shellcheck: "off" } });
      expect(await writeFixes(report)).toEqual([file]);
      expect(readFileSync(file, "utf8")).toBe(SEED_GOOD.replace(/\n/g, "\r\n"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("settings.fix[CODE] = false turns that fixer off", () => {
    const source = df("FROM debian:bookworm-slim", "ADD app.py /app/", "CMD node app.js");
    expect(fixAll(source, { fix: { DL3020: false } })).toBe(
      df("FROM debian:bookworm-slim", "ADD app.py /app/", 'CMD ["node", "app.js"]'),
    );
    // A BuildKit check name works too.
    expect(fixAll(source, { fix: { JSONArgsRecommended: false } })).toBe(
      df("FROM debian:bookworm-slim", "COPY app.py /app/", "CMD node app.js"),
    );
  });

  test("ignored codes, pragmas and check=skip are not fixed", () => {
    const install = df("FROM debian:bookworm-slim", "RUN apt-get install -y curl");
    expect(fixAll(install, { ignored: ["DL3015"] })).toBe(install);
    const pragma = df("FROM debian:bookworm-slim", "# hadolint ignore=DL3015", "RUN apt-get install -y curl");
    expect(fixAll(pragma)).toBe(pragma);
    const skip = df("# check=skip=JSONArgsRecommended", "FROM debian:bookworm-slim", "CMD node app.js");
    expect(fixAll(skip)).toBe(skip);
    expect(fixAll(skip, { disableIgnorePragma: true })).toBe(skip);
  });

  test("fixes whose edits touch the same spot go in separate rounds", () => {
    // DL3014 and DL3015 both insert right after `install`.
    const result = fix(df("FROM debian:bookworm-slim", "RUN apt-get install curl"));
    expect(result.output).toBe(
      df("FROM debian:bookworm-slim", "RUN apt-get install -y --no-install-recommends curl"),
    );
    expect(result.applied.map((a) => a.code).sort()).toEqual(["DL3014", "DL3015"]);
  });

  test("uses the build context to tell files from archives", () => {
    const source = df("FROM debian:bookworm-slim", "ADD config /etc/app/");
    expect(fixAll(source, {}, fakeContext({ config: "a=1\n" }))).toBe(
      df("FROM debian:bookworm-slim", "COPY config /etc/app/"),
    );
    expect(fixAll(source, {}, fakeContext({ config: "\u001f\uFFFD\0" }))).toBe(source);
  });

  test("a file with a syntax error still gets the fixes that keep it parsing", () => {
    const source = df("FROM debian:bookworm-slim", "CMD node app.js", "FOO bar");
    expect(fixAll(source)).toBe(df("FROM debian:bookworm-slim", 'CMD ["node", "app.js"]', "FOO bar"));
  });
});

describe("chooseNonOverlapping", () => {
  const candidate = (code: string, ...edits: [number, number, string][]): FixCandidate => ({
    code,
    line: 1,
    fix: { description: code, edits: edits.map(([start, end, text]) => ({ start, end, text })) },
  });

  test("defers a fix that overlaps an earlier one", () => {
    const chosen = chooseNonOverlapping([candidate("B", [3, 8, "x"]), candidate("A", [0, 5, "y"])]);
    expect(chosen.map((c) => c.code)).toEqual(["A"]);
  });

  test("a fix is atomic: one clashing edit defers all of it", () => {
    const chosen = chooseNonOverlapping([
      candidate("A", [0, 2, "a"]),
      candidate("B", [10, 12, "b"], [1, 1, "c"]),
      candidate("C", [10, 11, "d"]),
    ]);
    expect(chosen.map((c) => c.code)).toEqual(["A", "C"]);
  });

  test("inserts at one offset clash unless identical; identical edits apply once", () => {
    expect(chooseNonOverlapping([candidate("A", [4, 4, "x"]), candidate("B", [4, 4, "y"])])).toHaveLength(1);
    const same = chooseNonOverlapping([candidate("A", [4, 4, "x"]), candidate("B", [4, 4, "x"])]);
    expect(same).toHaveLength(2);
    expect(
      applyEdits(
        "0123456",
        same.flatMap((c) => c.fix.edits),
      ),
    ).toBe("0123x456");
  });

  test("adjacent edits do not clash", () => {
    const chosen = chooseNonOverlapping([candidate("A", [0, 2, "a"]), candidate("B", [2, 4, "b"])]);
    expect(
      applyEdits(
        "0123456",
        chosen.flatMap((c) => c.fix.edits),
      ),
    ).toBe("ab456");
  });
});

/** Every Dockerfile we have at hand: hadolint's cases, the examples, the lint benchmark corpus. */
function fixtureDockerfiles(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const cases = JSON.parse(readFileSync(join(sharedDir(), "conformance", "hadolint-cases.json"), "utf8")) as {
    rules: Record<string, { test: string; dockerfile: string }[]>;
    shellcheck_any_SC: { test: string; dockerfile: string }[];
  };
  for (const [code, list] of Object.entries(cases.rules)) {
    for (const c of list) out.push({ name: `${code}: ${c.test}`, text: c.dockerfile });
  }
  for (const c of cases.shellcheck_any_SC) out.push({ name: `SC: ${c.test}`, text: c.dockerfile });
  for (const example of ["seed-bad", "seed-good"]) {
    out.push({
      name: example,
      text: readFileSync(join(REPO_ROOT, "examples", example, "Dockerfile"), "utf8"),
    });
  }
  const corpus = join(REPO_ROOT, "bench", "corpus", "lint");
  if (existsSync(corpus)) {
    // Every third file keeps the test quick; the selection is fixed, so failures reproduce.
    const files = readdirSync(corpus).sort();
    for (const file of files.filter((_, k) => k % 3 === 0)) {
      out.push({ name: file, text: readFileSync(join(corpus, file), "utf8") });
    }
  }
  out.push({ name: "seed layers", text: SEED_BAD });
  return out;
}

/**
 * What a Dockerfile does, in a form our fixes must not change: per stage, the non-RUN
 * instructions (ADD read as COPY, MAINTAINER as a maintainer LABEL, SHELL left out), the ENV
 * and LABEL pairs, the CMD/ENTRYPOINT argv, and the commands RUNs execute with their
 * non-option words (apt read as apt-get; the apt-lists cleanup our fixes add left out).
 */
function meaning(dockerfile: Dockerfile): string[][] {
  const runsByInstruction = new Map(collectRuns(dockerfile).map((r) => [r.outer, r]));
  return dockerfile.stages.map((stage) => {
    const out: string[] = [];
    for (const i of stage.instructions) {
      const run = runsByInstruction.get(i);
      if (run) {
        for (const cmd of run.commands) {
          const name = basename(cmd.name) === "apt" ? "apt-get" : basename(cmd.name);
          const words = cmd.args.filter((a) => !a.startsWith("-")).map((w) => APT_SUBCOMMANDS[w] ?? w);
          if (name === "rm" && words.join(" ") === "/var/lib/apt/lists/*") continue;
          out.push(`run ${name} ${words.join(" ")}`);
        }
        continue;
      }
      if (i.keyword === "SHELL") continue;
      if (i.keyword === "MAINTAINER") out.push(`LABEL maintainer=${i.args}`);
      else if (i.keyword === "ENV" || i.keyword === "LABEL") {
        out.push(
          `${i.keyword} ${keyValues(i)
            .map((p) => `${p.key}=${p.value}`)
            .join(" ")}`,
        );
      } else if (i.keyword === "CMD" || i.keyword === "ENTRYPOINT") {
        out.push(`${i.keyword} ${JSON.stringify(i.json ?? i.args.split(/\s+/))}`);
      } else if (i.keyword === "HEALTHCHECK") {
        const command = i.args.replace(/^CMD\s+/i, "");
        out.push(`HEALTHCHECK ${JSON.stringify(parseJsonForm(command) ?? command.split(/\s+/))}`);
      } else out.push(`${i.keyword === "ADD" ? "COPY" : i.keyword} ${i.args.toLowerCase()}`);
    }
    return out;
  });
}

const APT_SUBCOMMANDS: Record<string, string> = { "full-upgrade": "dist-upgrade", reinstall: "install" };

describe("over every fixture Dockerfile", () => {
  const fixtures = fixtureDockerfiles();
  const results = fixtures.map(({ name, text }) => ({ name, text, output: fixAll(text) }));

  test("fixing is idempotent (a second run changes nothing)", () => {
    const notIdempotent = results.filter((r) => fixAll(r.output) !== r.output).map((r) => r.name);
    expect(notIdempotent).toEqual([]);
    expect(results.filter((r) => r.output !== r.text.replace(/\r\n?/g, "\n")).length).toBeGreaterThan(50);
  }, 120_000);

  test("the fixed file parses as well as the original (no new DL1000)", () => {
    const broken = results
      .filter((r) => parseDockerfile(r.output).errors.length > parseDockerfile(r.text).errors.length)
      .map((r) => r.name);
    expect(broken).toEqual([]);
  });

  test("no instruction loses its meaning", () => {
    const differing = results
      .filter((r) => parseDockerfile(r.text).errors.length === 0)
      .map((r) => {
        const before = meaning(parseDockerfile(r.text)).flat();
        const after = meaning(parseDockerfile(r.output)).flat();
        const same =
          JSON.stringify(meaning(parseDockerfile(r.text))) ===
          JSON.stringify(meaning(parseDockerfile(r.output)));
        return same
          ? null
          : {
              name: r.name,
              lost: before.filter((x) => !after.includes(x)),
              added: after.filter((x) => !before.includes(x)),
            };
      })
      .filter((d) => d !== null);
    expect(differing).toEqual([]);
  });
});
