import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../cli/main.ts";
import { UsageError } from "../errors.ts";
import { type ConfigEnvironment, loadLintConfig } from "./lint-config.ts";

let root: string;
let where: ConfigEnvironment;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "drydock-config-"));
  where = { cwd: join(root, "project"), home: join(root, "home"), env: {} };
  await mkdir(where.cwd, { recursive: true });
  await mkdir(where.home, { recursive: true });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(file: string, text: string): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

async function usageError(promise: Promise<unknown>): Promise<UsageError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

describe("no configuration", () => {
  it("gives no settings and reads no file", async () => {
    const loaded = await loadLintConfig(where);
    expect(loaded.files).toEqual([]);
    expect(loaded.format).toBeUndefined();
    expect(loaded.settings.failureThreshold).toBeUndefined();
    expect(loaded.settings.ignored).toBeUndefined();
    expect(Object.values(loaded.settings).every((v) => v !== undefined)).toBe(true);
  });
});

describe(".hadolint.yaml lookup (hadolint's order; the first file found wins)", () => {
  it("tries cwd, XDG_CONFIG_HOME, ~/.config, ~/.hadolint/, ~/hadolint/, ~/.hadolint.yaml in order", async () => {
    where.env.XDG_CONFIG_HOME = join(root, "xdg");
    const order = [
      join(where.cwd, ".hadolint.yaml"),
      join(where.cwd, ".hadolint.yml"),
      join(root, "xdg", "hadolint.yaml"),
      join(where.home, ".config", "hadolint.yaml"),
      join(where.home, ".hadolint", "hadolint.yaml"),
      join(where.home, ".hadolint", "config.yml"),
      join(where.home, "hadolint", "config.yaml"),
      join(where.home, ".hadolint.yaml"),
      join(where.home, ".hadolint.yml"),
    ];
    for (const [index, file] of order.entries()) await put(file, `ignored: [DL${3000 + index}]\n`);
    for (const [index, file] of order.entries()) {
      const loaded = await loadLintConfig(where);
      expect(loaded.files).toEqual([file]);
      expect(loaded.settings.ignored).toEqual([`DL${3000 + index}`]);
      await rm(file);
    }
    expect((await loadLintConfig(where)).files).toEqual([]);
  });

  it("ignores a relative XDG_CONFIG_HOME", async () => {
    where.env.XDG_CONFIG_HOME = "relative";
    await put(join(where.cwd, "relative", "hadolint.yaml"), "ignored: [DL3000]\n");
    expect((await loadLintConfig(where)).files).toEqual([]);
  });

  it("reads every hadolint key", async () => {
    await put(
      join(where.cwd, ".hadolint.yaml"),
      [
        "ignored:",
        "  - DL3008",
        "  - SC2086",
        "override:",
        "  error: [DL3001]",
        "  warning: [DL3002]",
        "  info: [DL3003]",
        "  style: [DL3004]",
        "failure-threshold: warning",
        "trustedRegistries:",
        "  - docker.io",
        "  - '*.gcr.io'",
        "label-schema:",
        "  maintainer: text",
        "  org.opencontainers.image.url: url",
        "strict-labels: true",
        "no-fail: true",
        "no-color: true",
        "disable-ignore-pragma: true",
        "format: json",
        "verbose: true # a hadolint key drydock does not use: ignored",
      ].join("\n"),
    );
    const loaded = await loadLintConfig(where);
    expect(loaded.settings).toEqual({
      ignored: ["DL3008", "SC2086"],
      override: { error: ["DL3001"], warning: ["DL3002"], info: ["DL3003"], style: ["DL3004"] },
      failureThreshold: "warning",
      trustedRegistries: ["docker.io", "*.gcr.io"],
      labelSchema: { maintainer: "text", "org.opencontainers.image.url": "url" },
      strictLabels: true,
      noFail: true,
      disableIgnorePragma: true,
    });
    expect(loaded.format).toBe("json");
    expect(loaded.noColor).toBe(true);
  });

  it("accepts a single trusted registry and empty keys", async () => {
    await put(join(where.cwd, ".hadolint.yaml"), "trustedRegistries: my.registry:5000\nignored:\n");
    const loaded = await loadLintConfig(where);
    expect(loaded.settings.trustedRegistries).toEqual(["my.registry:5000"]);
    expect(loaded.settings.ignored).toBeUndefined();
  });

  it("accepts an empty file and maps hadolint's gitlab_codeclimate format", async () => {
    await put(join(where.cwd, ".hadolint.yaml"), "");
    expect((await loadLintConfig(where)).settings).toEqual({ override: {} });
    await put(join(where.cwd, ".hadolint.yaml"), "format: gitlab_codeclimate\n");
    expect((await loadLintConfig(where)).format).toBe("gitlab");
  });
});

describe("HADOLINT_* environment variables", () => {
  it("reads every variable", async () => {
    where.env = {
      HADOLINT_NOFAIL: "yes",
      HADOLINT_FORMAT: "sarif",
      HADOLINT_FAILURE_THRESHOLD: "error",
      HADOLINT_OVERRIDE_ERROR: "DL3001,DL3002",
      HADOLINT_OVERRIDE_WARNING: "DL3003",
      HADOLINT_OVERRIDE_INFO: "DL3004",
      HADOLINT_OVERRIDE_STYLE: "DL3005",
      HADOLINT_IGNORE: "DL3008, SC2086",
      HADOLINT_STRICT_LABELS: "1",
      HADOLINT_DISABLE_IGNORE_PRAGMA: "TRUE",
      HADOLINT_TRUSTED_REGISTRIES: "docker.io,quay.io",
      HADOLINT_REQUIRE_LABELS: "maintainer:text,version:semver",
    };
    const loaded = await loadLintConfig(where);
    expect(loaded.settings).toEqual({
      noFail: true,
      failureThreshold: "error",
      override: { error: ["DL3001", "DL3002"], warning: ["DL3003"], info: ["DL3004"], style: ["DL3005"] },
      ignored: ["DL3008", "SC2086"],
      strictLabels: true,
      disableIgnorePragma: true,
      trustedRegistries: ["docker.io", "quay.io"],
      labelSchema: { maintainer: "text", version: "semver" },
    });
    expect(loaded.format).toBe("sarif");
  });

  it("treats any non-truthy value of a set flag as false", async () => {
    where.env = { HADOLINT_NOFAIL: "0", HADOLINT_STRICT_LABELS: "nope" };
    const loaded = await loadLintConfig(where);
    expect(loaded.settings.noFail).toBe(false);
    expect(loaded.settings.strictLabels).toBe(false);
  });

  it("rejects unknown values with the variable's name", async () => {
    where.env = { HADOLINT_FAILURE_THRESHOLD: "fatal" };
    expect((await usageError(loadLintConfig(where))).message).toMatch(
      /^HADOLINT_FAILURE_THRESHOLD: unknown severity 'fatal'/,
    );
    where.env = { HADOLINT_FORMAT: "xml" };
    expect((await usageError(loadLintConfig(where))).message).toMatch(
      /^HADOLINT_FORMAT: unknown format 'xml'/,
    );
    where.env = { HADOLINT_REQUIRE_LABELS: "maintainer:name" };
    expect((await usageError(loadLintConfig(where))).message).toMatch(/^HADOLINT_REQUIRE_LABELS: /);
  });
});

describe("precedence", () => {
  it("config file beats environment for single values; lists combine", async () => {
    where.env = {
      HADOLINT_FAILURE_THRESHOLD: "error",
      HADOLINT_NOFAIL: "true",
      HADOLINT_IGNORE: "DL3000",
      HADOLINT_OVERRIDE_ERROR: "DL3001",
      HADOLINT_TRUSTED_REGISTRIES: "a.io",
      HADOLINT_REQUIRE_LABELS: "a:text",
    };
    await put(
      join(where.cwd, ".hadolint.yaml"),
      "failure-threshold: style\nno-fail: false\nignored: [DL3002]\noverride: {error: [DL3003]}\ntrustedRegistries: b.io\nlabel-schema: {b: url}\n",
    );
    const { settings } = await loadLintConfig(where);
    expect(settings.failureThreshold).toBe("style");
    expect(settings.noFail).toBe(false);
    expect(settings.ignored).toEqual(["DL3000", "DL3002"]);
    expect(settings.override).toEqual({ error: ["DL3001", "DL3003"] });
    expect(settings.trustedRegistries).toEqual(["a.io", "b.io"]);
    expect(settings.labelSchema).toEqual({ a: "text", b: "url" });
  });

  it("the command line beats the config file, which beats the environment", async () => {
    await put(join(where.cwd, ".hadolint.yaml"), "failure-threshold: error\n");
    const lint = async (args: string[], env: Record<string, string> = {}) => {
      let out = "";
      const code = await run({
        argv: ["lint", "--shellcheck=off", "-f", "json", ...args, "-"],
        env: { HOME: where.home, ...env },
        cwd: where.cwd,
        stdout: {
          write: (t) => {
            out += t;
          },
        },
        stderr: { write: () => undefined },
        readStdin: async () => "FROM debian:12\nRUN cd /tmp && make\n", // DL3003 (warning)
      });
      return { code, out };
    };
    expect((await lint([])).code).toBe(0); // file: error threshold
    expect((await lint([], { HADOLINT_FAILURE_THRESHOLD: "style" })).code).toBe(0); // file beats env
    expect((await lint(["-t", "warning"])).code).toBe(1); // flag beats file
    const codes = (out: string) => (JSON.parse(out) as { code: string }[]).map((f) => f.code);
    expect(codes((await lint([])).out)).toContain("DL3003");
    expect(codes((await lint(["--ignore", "DL3003"])).out)).not.toContain("DL3003");
    expect(codes((await lint([], { HADOLINT_IGNORE: "DL3003" })).out)).not.toContain("DL3003");
  });

  it(".drydock.yaml lint settings apply on top of .hadolint.yaml", async () => {
    await put(
      join(where.cwd, ".hadolint.yaml"),
      "failure-threshold: error\nignored: [DL3000]\nlabel-schema: {a: text, b: url}\n",
    );
    await put(
      join(where.cwd, ".drydock.yaml"),
      [
        "lint:",
        "  failure-threshold: warning",
        "  ignored: [DD001]",
        "  label-schema: {b: email}",
        "  fix:",
        "    DL3008: false",
        "  shellcheck: off",
        "other-section: {anything: 1}",
      ].join("\n"),
    );
    const loaded = await loadLintConfig(where);
    expect(loaded.files).toEqual([join(where.cwd, ".hadolint.yaml"), join(where.cwd, ".drydock.yaml")]);
    expect(loaded.settings).toMatchObject({
      failureThreshold: "warning",
      ignored: ["DL3000", "DD001"],
      labelSchema: { a: "text", b: "email" },
      fix: { DL3008: false },
      shellcheck: "off",
    });
  });

  it("reads .drydock.yml and a file without a lint section", async () => {
    await put(join(where.cwd, ".drydock.yml"), "lint:\n  shellcheck: required\n");
    expect((await loadLintConfig(where)).settings.shellcheck).toBe("required");
    await rm(join(where.cwd, ".drydock.yml"));
    await put(join(where.cwd, ".drydock.yaml"), "audit: {}\n");
    expect((await loadLintConfig(where)).settings.shellcheck).toBeUndefined();
  });
});

describe("--config", () => {
  it("a hadolint file replaces the lookup; .drydock.yaml still applies", async () => {
    await put(join(where.cwd, ".hadolint.yaml"), "ignored: [DL3000]\n");
    await put(join(where.cwd, ".drydock.yaml"), "lint:\n  ignored: [DD001]\n");
    await put(join(where.cwd, "ci", "lint.yaml"), "ignored: [DL3009]\n");
    const loaded = await loadLintConfig(where, "ci/lint.yaml");
    expect(loaded.files).toEqual([join(where.cwd, "ci", "lint.yaml"), join(where.cwd, ".drydock.yaml")]);
    expect(loaded.settings.ignored).toEqual(["DL3009", "DD001"]);
  });

  it("a drydock file (lint: section) replaces both", async () => {
    await put(join(where.cwd, ".hadolint.yaml"), "ignored: [DL3000]\n");
    await put(join(where.cwd, ".drydock.yaml"), "lint:\n  ignored: [DD001]\n");
    const file = await put(join(root, "shared.yaml"), "lint:\n  ignored: [DL3010]\n  shellcheck: auto\n");
    const loaded = await loadLintConfig(where, file);
    expect(loaded.files).toEqual([file]);
    expect(loaded.settings.ignored).toEqual(["DL3010"]);
    expect(loaded.settings.shellcheck).toBe("auto");
  });

  it("a missing file is a usage error", async () => {
    const error = await usageError(loadLintConfig(where, "nope.yaml"));
    expect(error.message).toBe(`config file ${join(where.cwd, "nope.yaml")} not found`);
  });
});

describe("invalid files: one-line usage errors naming the file", () => {
  const cases: [string, string, RegExp][] = [
    [".hadolint.yaml", "ignored: [DL3000\n", /\.hadolint\.yaml: invalid YAML at line \d+: /],
    [".hadolint.yaml", "ignored: a\nignored: b\n", /\.hadolint\.yaml: invalid YAML at line 2: /],
    [".hadolint.yaml", "- DL3000\n", /\.hadolint\.yaml: expected a mapping of settings/],
    [".hadolint.yaml", "override:\n  fatal: [DL3000]\n", /override: unknown severity 'fatal' \(use error, /],
    [".hadolint.yaml", "failure-threshold: fatal\n", /failure-threshold: 'fatal' is not one of error, /],
    [".hadolint.yaml", "label-schema:\n  a: name\n", /label-schema\.a: 'name' is not one of text, /],
    [".hadolint.yaml", "no-fail: yes\n", /no-fail: expected boolean, got "yes"/],
    [".hadolint.yaml", "ignored: {a: 1}\n", /ignored: /],
    [".hadolint.yaml", "format: codacy\n", /format: unknown format 'codacy'/],
    [".drydock.yaml", "lint:\n  ignore: [DL3000]\n", /\.drydock\.yaml: lint: unknown key 'ignore'/],
    [
      ".drydock.yaml",
      "lint:\n  shellcheck: sometimes\n",
      /lint\.shellcheck: 'sometimes' is not one of off, auto/,
    ],
    [".drydock.yaml", "lint:\n  fix: {DL3008: no}\n", /lint\.fix\.DL3008: expected boolean/],
  ];
  for (const [name, text, expected] of cases) {
    it(`${name}: ${JSON.stringify(text)}`, async () => {
      const file = await put(join(where.cwd, name), text);
      const error = await usageError(loadLintConfig(where));
      expect(error.message).toMatch(expected);
      expect(error.message.startsWith(file)).toBe(true);
      expect(error.message).not.toContain("\n");
    });
  }
});
