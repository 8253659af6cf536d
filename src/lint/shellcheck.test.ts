import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../errors.ts";
import { sharedDir } from "../test-helpers/shared.ts";
import { analyze } from "./engine.ts";
import { lint } from "./lint.ts";
import { defaultLintSettings } from "./settings.ts";
import { buildShellScripts, findShellCheck, runShellCheck, scratchRoot } from "./shellcheck.ts";

interface ShellCheckCase {
  test: string;
  fires: boolean;
  dockerfile: string;
}

const PATH = process.env.PATH ?? "";
const cases: ShellCheckCase[] = JSON.parse(
  readFileSync(join(sharedDir(), "conformance", "hadolint-cases.json"), "utf8"),
).shellcheck_any_SC;

let binary: string;
beforeAll(async () => {
  const found = await findShellCheck({ path: PATH });
  if (!found) {
    throw new Error(
      "shellcheck is not installed (apt-get install shellcheck): these tests need the binary on PATH",
    );
  }
  binary = found;
});

async function scFindings(dockerfile: string) {
  const report = await lint({
    paths: ["-"],
    stdin: `${dockerfile}\n`,
    settings: { shellcheck: "required" },
    shellcheckOptions: { path: PATH },
  });
  expect(report.shellcheck.status).toBe("used");
  return report.findings.filter((f) => f.code.startsWith("SC"));
}

function scriptsOf(dockerfile: string) {
  return buildShellScripts(analyze(dockerfile, "Dockerfile", defaultLintSettings()));
}

describe("hadolint's ShellCheck cases (ShellcheckSpec.hs)", () => {
  it("has the 20 cases", () => expect(cases).toHaveLength(20));
  for (const c of cases) {
    it(`${c.test} (${c.fires ? "fires" : "no finding"})`, async () => {
      const findings = await scFindings(c.dockerfile);
      if (c.fires) expect(findings.length).toBeGreaterThan(0);
      else expect(findings).toEqual([]);
    });
  }
});

describe("buildShellScripts", () => {
  it("prepends the shebang and exports for proxies, ARG and ENV", () => {
    const [script] = scriptsOf('FROM debian\nARG a=1 b\nENV c=2 d="x y"\nRUN echo "$a"\n');
    expect(script!.line).toBe(4);
    const lines = script!.script.split("\n");
    expect(lines[0]).toBe("#!/bin/sh");
    for (const name of ["a", "b", "c", "d", "HTTP_PROXY", "no_proxy"]) {
      expect(lines).toContain(`export ${name}=1`);
    }
    expect(lines.at(-2)).toBe('echo "$a"');
  });

  it("reads the legacy ENV form", () => {
    const [script] = scriptsOf("FROM debian\nENV foo bar baz\nRUN echo\n");
    expect(script!.script).toContain("export foo=1\n");
    expect(script!.script).not.toContain("export bar=1");
  });

  it("skips exec form and uses ONBUILD RUN", () => {
    const scripts = scriptsOf('FROM debian\nRUN ["echo", "$x"]\nONBUILD RUN echo $x\n');
    expect(scripts.map((s) => s.line)).toEqual([3]);
  });

  it("follows SHELL and resets on FROM", () => {
    const scripts = scriptsOf(
      'FROM a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN echo 1\nFROM b\nRUN echo 2\n',
    );
    expect(scripts.map((s) => s.script.split("\n")[0])).toEqual(["#!/bin/bash", "#!/bin/sh"]);
  });

  it("inherits the shell and ENV names of an earlier stage", () => {
    const scripts = scriptsOf(
      'FROM a AS base\nSHELL ["/bin/bash", "-c"]\nENV e=1\nARG g\nFROM base\nRUN echo "$e"\n',
    );
    expect(scripts[0]!.script.startsWith("#!/bin/bash\n")).toBe(true);
    expect(scripts[0]!.script).toContain("export e=1");
    expect(scripts[0]!.script).not.toContain("export g=1");
  });

  it("skips non-POSIX shells and honours the shell pragma", () => {
    expect(scriptsOf('FROM w\nSHELL ["cmd.exe", "/c"]\nRUN dir\n')).toEqual([]);
    expect(scriptsOf("# hadolint shell=pwsh\nFROM w\nRUN a\nFROM v\nRUN b\n")).toEqual([]);
    // Inside a stage the pragma only affects that stage.
    expect(scriptsOf("FROM w\n# hadolint shell=pwsh\nRUN a\nFROM v\nRUN b\n").map((s) => s.line)).toEqual([
      5,
    ]);
  });

  it("gives a bare shell name an absolute shebang", () => {
    const [script] = scriptsOf('FROM a\nSHELL ["bash", "-c"]\nRUN echo\n');
    expect(script!.script.startsWith("#!/bin/bash\n")).toBe(true);
    const [env] = scriptsOf('FROM a\nSHELL ["/usr/bin/env", "bash", "-c"]\nRUN echo\n');
    expect(env!.script.startsWith("#!/usr/bin/env bash\n")).toBe(true);
  });

  it("checks heredoc bodies, honouring their shebang", () => {
    const [plain] = scriptsOf("FROM a\nRUN <<EOF\necho $x\nEOF\n");
    expect(plain!.script.startsWith("#!/bin/sh\n")).toBe(true);
    expect(plain!.script).toContain("echo $x\n");
    const [bash] = scriptsOf("FROM a\nRUN <<EOF\n#!/usr/bin/env bash\necho $RANDOM\nEOF\n");
    expect(bash!.script.startsWith("#!/usr/bin/env bash\n")).toBe(true);
    const [viaBash] = scriptsOf("FROM a\nRUN bash <<EOF\necho $RANDOM\nEOF\n");
    expect(viaBash!.script.startsWith("#!/bin/bash\n")).toBe(true);
    expect(viaBash!.script).not.toContain("<<EOF");
  });

  it("skips scripts for other interpreters", () => {
    expect(scriptsOf("FROM a\nRUN python3 <<EOF\nprint('$x')\nEOF\n")).toEqual([]);
    expect(scriptsOf("FROM a\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n")).toEqual([]);
    expect(scriptsOf("FROM a\nRUN #!/usr/bin/perl\n")).toEqual([]);
  });

  it("keeps a command that writes a heredoc as one shell script", () => {
    const [script] = scriptsOf("FROM a\nRUN cat <<EOF > /etc/x\nhello\nEOF\n");
    expect(script!.script).toContain("cat <<EOF > /etc/x\nhello\nEOF\n");
  });
});

describe("runShellCheck", () => {
  it("maps findings to the RUN line with ShellCheck's level, message and wiki link", async () => {
    const findings = await scFindings("FROM debian\nRUN echo $foo\n");
    expect(findings).toContainEqual(
      expect.objectContaining({
        code: "SC2154",
        level: "warning",
        line: 2,
        column: 1,
        message: "foo is referenced but not assigned.",
        url: "https://www.shellcheck.net/wiki/SC2154",
      }),
    );
  });

  it("reports a repeated finding on one RUN once", async () => {
    const findings = await scFindings("FROM debian\nRUN echo $foo; echo $foo\n");
    expect(findings.filter((f) => f.code === "SC2086")).toHaveLength(1);
  });

  it("gives the same findings whatever the concurrency (200 scripts over several files)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "drydock-sc-test-"));
    try {
      const paths: string[] = [];
      for (let file = 0; file < 5; file++) {
        const lines = ["FROM debian"];
        for (let k = 0; k < 40; k++) {
          const variants = [
            `RUN echo $v${k}`,
            `RUN cd /tmp${k} && make`,
            `RUN echo "ok ${k}"`,
            `RUN [ $a${k} == b ] && echo $RANDOM`,
          ];
          lines.push(variants[(k + file) % variants.length]!);
        }
        const path = join(dir, `Dockerfile.${file}`);
        await writeFile(path, `${lines.join("\n")}\n`);
        paths.push(path);
      }
      const run = (concurrency: number) =>
        lint({
          paths,
          settings: { shellcheck: "required" },
          shellcheckOptions: { path: PATH, concurrency },
        }).then((r) => r.findings.filter((f) => f.code.startsWith("SC")));
      const one = await run(1);
      const two = await run(2);
      expect(one.length).toBeGreaterThan(100);
      expect(two).toEqual(one);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("runs one process per parallel slot, and one for little work", async () => {
    const dir = await mkdtemp(join(tmpdir(), "drydock-sc-count-"));
    try {
      const log = join(dir, "calls.log");
      const wrapper = join(dir, "shellcheck");
      await writeFile(wrapper, `#!/bin/sh\necho "$#" >> '${log}'\nexec '${binary}' "$@"\n`, { mode: 0o755 });
      const many = Array.from({ length: 200 }, (_, k) => `RUN echo $v${k} && cd /d${k}`).join("\n");
      const big = analyze(`FROM a\n${many}\n`, "Dockerfile", defaultLintSettings());
      const small = analyze("FROM a\nRUN echo $x\n", "Dockerfile", defaultLintSettings());
      const batches = [big, small].map((analysis) => ({ analysis, scripts: buildShellScripts(analysis) }));
      const calls = async (concurrency: number) => {
        await writeFile(log, "");
        const hits = await runShellCheck(batches, wrapper, { concurrency });
        const counts = readFileSync(log, "utf8").trim().split("\n").map(Number);
        return { hits, counts };
      };
      const one = await calls(1);
      const two = await calls(2);
      expect(one.counts).toHaveLength(1);
      expect(two.counts).toHaveLength(2);
      expect(Math.abs(two.counts[0]! - two.counts[1]!)).toBeLessThan(10);
      expect(two.hits).toEqual(one.hits);
      expect(one.hits[1]!.map((h) => h.code)).toContain("SC2154");

      await writeFile(log, "");
      await runShellCheck([{ analysis: small, scripts: buildShellScripts(small) }], wrapper, {
        concurrency: 8,
      });
      expect(readFileSync(log, "utf8").trim().split("\n")).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("writes the scripts in a private folder under tempDir and removes it after", async () => {
    const dir = await mkdtemp(join(tmpdir(), "drydock-sc-tempdir-"));
    try {
      const log = join(dir, "cwd.log");
      const wrapper = join(dir, "shellcheck");
      await writeFile(wrapper, `#!/bin/sh\npwd >> '${log}'\nexec '${binary}' "$@"\n`, { mode: 0o755 });
      const analysis = analyze("FROM a\nRUN echo $x\n", "Dockerfile", defaultLintSettings());
      const scratch = join(dir, "scratch");
      await mkdir(scratch);
      const hits = await runShellCheck([{ analysis, scripts: buildShellScripts(analysis) }], wrapper, {
        tempDir: scratch,
      });
      expect(hits[0]!.map((h) => h.code)).toContain("SC2154");
      const [cwd] = readFileSync(log, "utf8").trim().split("\n");
      expect(dirname(cwd!)).toBe(scratch);
      expect(basename(cwd!)).toMatch(/^drydock-shellcheck-/);
      expect(readdirSync(scratch)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("writes to /dev/shm by default where it exists (tmpfs: creating files costs far less)", () => {
    const expected = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
    expect(scratchRoot()).toBe(expected);
  });

  it("returns nothing for no scripts and one list per file", async () => {
    const analysis = analyze("FROM a\n", "Dockerfile", defaultLintSettings());
    expect(await runShellCheck([{ analysis, scripts: [] }], binary)).toEqual([[]]);
  });

  it("turns a failing binary into a one-line error", async () => {
    const analysis = analyze("FROM a\nRUN echo\n", "Dockerfile", defaultLintSettings());
    const batches = [{ analysis, scripts: buildShellScripts(analysis) }];
    await expect(runShellCheck(batches, "/nonexistent/shellcheck")).rejects.toThrow(/cannot run shellcheck/);
    const dir = await mkdtemp(join(tmpdir(), "drydock-sc-fail-"));
    try {
      const fake = join(dir, "shellcheck");
      await writeFile(fake, "#!/bin/sh\necho 'bad option' >&2\necho 'more' >&2\nexit 3\n", { mode: 0o755 });
      await expect(runShellCheck(batches, fake)).rejects.toThrow(/^shellcheck failed: bad option$/);
      await writeFile(fake, "#!/bin/sh\necho 'not json'\nexit 1\n", { mode: 0o755 });
      await expect(runShellCheck(batches, fake)).rejects.toThrow(/^cannot read shellcheck's output/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("times out a hanging process", async () => {
    const dir = await mkdtemp(join(tmpdir(), "drydock-sc-hang-"));
    try {
      const fake = join(dir, "shellcheck");
      await writeFile(fake, "#!/bin/sh\nsleep 5\n", { mode: 0o755 });
      const analysis = analyze("FROM a\nRUN echo\n", "Dockerfile", defaultLintSettings());
      const batches = [{ analysis, scripts: buildShellScripts(analysis) }];
      await expect(runShellCheck(batches, fake, { timeoutMs: 200 })).rejects.toThrow(
        /did not finish within 0 s/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("--shellcheck modes", () => {
  const missing = { path: "/nonexistent-dir" };
  it("required with a missing binary is a usage error", async () => {
    await expect(
      lint({
        paths: ["-"],
        stdin: "FROM a\nRUN echo $x\n",
        settings: { shellcheck: "required" },
        shellcheckOptions: missing,
      }),
    ).rejects.toBeInstanceOf(UsageError);
  });

  it("auto with a missing binary reports 'missing'", async () => {
    const report = await lint({ paths: ["-"], stdin: "FROM a\nRUN echo $x\n", shellcheckOptions: missing });
    expect(report.shellcheck.status).toBe("missing");
  });

  it("off does not run it", async () => {
    const report = await lint({
      paths: ["-"],
      stdin: "FROM a\nRUN echo $x\n",
      settings: { shellcheck: "off" },
      shellcheckOptions: { path: PATH },
    });
    expect(report.shellcheck.status).toBe("off");
    expect(report.findings.filter((f) => f.code.startsWith("SC"))).toEqual([]);
  });
});
