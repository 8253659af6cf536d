// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile snippets use ${VAR} syntax.
import { describe, expect, it } from "vitest";
import { aliasesOf, analyze, finalize } from "../engine.ts";
import { defaultLintSettings, type LintSettings } from "../settings.ts";
import type { ContextAccess, Rule } from "../types.ts";
import { ALL_RULES } from "./index.ts";

/**
 * BuildKit's build checks (https://docs.docker.com/reference/build-checks/) and the drydock
 * rules covering them. Cases follow BuildKit's own tests (moby/buildkit
 * frontend/dockerfile/dockerfile_check_test.go) where they exist.
 */

const BUILDKIT_CHECKS = [
  "DuplicateStageName",
  "ConsistentInstructionCasing",
  "CopyIgnoredFile",
  "ExposeInvalidFormat",
  "ExposeProtoCasing",
  "FromAsCasing",
  "FromPlatformFlagConstDisallowed",
  "InvalidBaseImagePlatform",
  "InvalidDefaultArgInFrom",
  "InvalidDefinitionDescription",
  "JSONArgsRecommended",
  "LegacyKeyValueFormat",
  "MaintainerDeprecated",
  "MultipleInstructionsDisallowed",
  "NoEmptyContinuation",
  "RedundantTargetPlatform",
  "ReservedStageName",
  "SecretsUsedInArgOrEnv",
  "StageNameCasing",
  "UndefinedArgInFrom",
  "UndefinedVar",
  "WorkdirRelativePath",
];

function ruleNamed(code: string): Rule {
  const rule = ALL_RULES.find((r) => r.code === code);
  if (!rule) throw new Error(`no rule ${code}`);
  return rule;
}

function contextWith(files: Record<string, string>): ContextAccess {
  return { dir: "/ctx", readFile: (path) => files[path] ?? null };
}

/** Messages of `code` on the Dockerfile (lines joined by "\n"), with their lines. */
function hits(code: string, lines: string[], context?: ContextAccess): { line: number; message: string }[] {
  const analysis = analyze(`${lines.join("\n")}\n`, "Dockerfile", defaultLintSettings(), context, [
    ruleNamed(code),
  ]);
  return analysis.hits.map((h) => ({ line: h.line, message: h.message }));
}

function linesOf(code: string, lines: string[], context?: ContextAccess): number[] {
  return hits(code, lines, context).map((h) => h.line);
}

describe("BuildKit check coverage", () => {
  it("every BuildKit check resolves to at least one rule", () => {
    const covered = new Set(ALL_RULES.flatMap((rule) => aliasesOf(rule)));
    // Pending until the hadolint rules they map to exist (see buildkit-aliases.ts).
    const missing = BUILDKIT_CHECKS.filter((name) => !covered.has(name));
    expect(missing).toEqual([]);
  });

  it("DD rules name only real BuildKit checks", () => {
    for (const rule of ALL_RULES.filter((r) => r.code.startsWith("DD1"))) {
      for (const alias of rule.aliases ?? []) expect(BUILDKIT_CHECKS).toContain(alias);
    }
  });
});

describe("suppression by BuildKit name", () => {
  it("# check=skip=UndefinedVar drops DD114", () => {
    const source = "FROM alpine\nCOPY $foo /app\n";
    const settings = defaultLintSettings();
    const plain = analyze(source, "Dockerfile", settings, undefined, [ruleNamed("DD114")]);
    expect(finalize(plain, [], settings).map((f) => f.code)).toEqual(["DD114"]);
    const skipped = analyze(`# check=skip=UndefinedVar\n${source}`, "Dockerfile", settings, undefined, [
      ruleNamed("DD114"),
    ]);
    expect(finalize(skipped, [], settings)).toEqual([]);
  });

  it("--ignore JSONArgsRecommended drops the code aliased to it (DL3025)", () => {
    // A minimal stand-in for DL3025, so this tests the alias table and finalize() alone.
    const shellFormCmd: Rule = {
      code: "DL3025",
      severity: "warning",
      message: "Use arguments JSON notation for CMD and ENTRYPOINT arguments",
      check: ({ dockerfile }) =>
        dockerfile.instructions.filter((i) => i.keyword === "CMD" && !i.json).map((i) => ({ line: i.line })),
    };
    const source = "FROM alpine\nCMD echo hi\n";
    const settings: LintSettings = { ...defaultLintSettings(), ignored: ["JSONArgsRecommended"] };
    const analysis = analyze(source, "Dockerfile", settings, undefined, [shellFormCmd]);
    expect(analysis.hits.map((h) => h.aliases)).toEqual([["JSONArgsRecommended"]]);
    expect(finalize(analysis, [], settings)).toEqual([]);
    expect(finalize(analysis, [], defaultLintSettings())).toHaveLength(1);
  });

  it("# drydock ignore=DD1NN works like any code", () => {
    expect(
      finalize(
        analyze(
          "# drydock ignore=DD112\nFROM alpine AS Build\n",
          "Dockerfile",
          defaultLintSettings(),
          undefined,
          [ruleNamed("DD112")],
        ),
        [],
        defaultLintSettings(),
      ),
    ).toEqual([]);
  });
});

describe("DD101 ConsistentInstructionCasing", () => {
  it("flags a mixed-case keyword against the majority", () => {
    expect(hits("DD101", ["From scratch as base", "FROM scratch AS base2"])).toEqual([
      { line: 1, message: "Command 'From' should match the case of the command majority (uppercase)" },
    ]);
  });
  it("flags the minority casing", () => {
    expect(linesOf("DD101", ["FROM scratch", "copy a /foo", "COPY b /bar"])).toEqual([2]);
    expect(linesOf("DD101", ["FROM scratch", "copy a /foo", "copy b /bar", "copy c /baz"])).toEqual([1]);
  });
  it("accepts one casing throughout, and does not count global ARGs", () => {
    expect(linesOf("DD101", ["from scratch", "copy a /foo"])).toEqual([]);
    expect(linesOf("DD101", ["ARG V=1", "from scratch", "copy a /foo"])).toEqual([]);
  });
});

describe("DD102 CopyIgnoredFile", () => {
  const ignoring = (text: string) => contextWith({ ".dockerignore": text });
  it("flags COPY and ADD of an excluded file", () => {
    expect(
      hits("DD102", ["FROM scratch", "COPY Dockerfile .", "ADD Dockerfile /windy"], ignoring("Dockerfile\n")),
    ).toEqual([
      { line: 2, message: 'Attempting to Copy file "Dockerfile" that is excluded by .dockerignore' },
      { line: 3, message: 'Attempting to Add file "Dockerfile" that is excluded by .dockerignore' },
    ]);
  });
  it("matches parent directories and cleans paths", () => {
    expect(
      hits("DD102", ["FROM scratch", "COPY ./node_modules/x/y.js /app/"], ignoring("node_modules")),
    ).toEqual([
      { line: 2, message: 'Attempting to Copy file "node_modules/x/y.js" that is excluded by .dockerignore' },
    ]);
    expect(
      linesOf("DD102", ["FROM scratch", 'COPY ["docs/a.md", "/app/"]'], ignoring("# comment\n*.md\ndocs")),
    ).toEqual([2]);
  });
  it("flags `.` only when every top-level entry is excluded", () => {
    expect(linesOf("DD102", ["FROM scratch", "COPY . ."], ignoring(".*"))).toEqual([]);
    expect(hits("DD102", ["FROM scratch", "COPY . ."], ignoring("*"))).toEqual([
      { line: 2, message: 'Attempting to Copy file "." that is excluded by .dockerignore' },
    ]);
  });
  it("skips exceptions, --from, variables and files not excluded", () => {
    expect(linesOf("DD102", ["FROM scratch", "COPY ./Dockerfile ."], ignoring("**\n!Dockerfile"))).toEqual(
      [],
    );
    expect(linesOf("DD102", ["FROM scratch AS b", "COPY --from=b /foobar /x"], ignoring("foobar"))).toEqual(
      [],
    );
    expect(linesOf("DD102", ["FROM scratch", "COPY $SRC /x"], ignoring("*"))).toEqual([]);
    expect(linesOf("DD102", ["FROM scratch", "COPY src /x"], ignoring("dist\n"))).toEqual([]);
    expect(linesOf("DD102", ["FROM scratch", "COPY Dockerfile ."])).toEqual([]);
  });
});

describe("DD103 ExposeInvalidFormat", () => {
  it("flags IP addresses and host ports", () => {
    expect(hits("DD103", ["FROM scratch", "EXPOSE 127.0.0.1:80:80 [::1]:8080:8080 5000:5000 8000"])).toEqual([
      {
        line: 2,
        message:
          "EXPOSE instruction should not define an IP address or host-port mapping, found '127.0.0.1:80:80'",
      },
      {
        line: 2,
        message:
          "EXPOSE instruction should not define an IP address or host-port mapping, found '[::1]:8080:8080'",
      },
      {
        line: 2,
        message: "EXPOSE instruction should not define an IP address or host-port mapping, found '5000:5000'",
      },
    ]);
  });
  it("accepts container ports and variables", () => {
    expect(linesOf("DD103", ["FROM scratch", "EXPOSE 80 443/tcp 9000-9010/udp ${PORT:-8080}"])).toEqual([]);
  });
});

describe("DD104 ExposeProtoCasing", () => {
  it("flags upper- or mixed-case protocols", () => {
    expect(hits("DD104", ["FROM scratch", "EXPOSE 80/TcP 8080/TCP 8080/udp"])).toEqual([
      { line: 2, message: "Defined protocol '80/TcP' in EXPOSE instruction should be lowercase" },
      { line: 2, message: "Defined protocol '8080/TCP' in EXPOSE instruction should be lowercase" },
    ]);
  });
  it("accepts lowercase protocols and no protocol", () => {
    expect(linesOf("DD104", ["FROM scratch", "EXPOSE 80 53/udp 8080/tcp $P/${PROTO}"])).toEqual([]);
  });
});

describe("DD105 FromAsCasing", () => {
  it("flags AS not matching FROM", () => {
    expect(hits("DD105", ["FROM scratch as base2"])).toEqual([
      { line: 1, message: "'as' and 'FROM' keywords' casing do not match" },
    ]);
    expect(hits("DD105", ["from scratch AS base"])).toEqual([
      { line: 1, message: "'AS' and 'from' keywords' casing do not match" },
    ]);
  });
  it("accepts matching casing, and leaves mixed-case FROM to DD101", () => {
    expect(
      linesOf("DD105", ["FROM scratch AS a", "from scratch as b", "From scratch as c", "FROM scratch"]),
    ).toEqual([]);
  });
});

describe("DD106 InvalidBaseImagePlatform", () => {
  it("flags a stage base built for another constant platform", () => {
    expect(
      hits("DD106", [
        "FROM --platform=linux/arm64 alpine:3.20 AS build",
        "FROM --platform=linux/amd64 build AS final",
      ]),
    ).toEqual([
      {
        line: 2,
        message:
          'Stage \'build\' is built for platform "linux/arm64", but FROM asks for "linux/amd64": --platform has no effect on a stage',
      },
    ]);
  });
  it("flags an image known to exist for another OS or architecture only", () => {
    expect(
      linesOf("DD106", ["FROM --platform=linux/amd64 mcr.microsoft.com/windows/servercore:ltsc2022"]),
    ).toEqual([1]);
    expect(linesOf("DD106", ["FROM --platform=windows/amd64 python:3.12-slim-bookworm"])).toEqual([1]);
    expect(
      linesOf("DD106", ["ARG PLATFORM=linux/arm64", "FROM --platform=$PLATFORM archlinux:latest"]),
    ).toEqual([2]);
  });
  it("leaves variable platforms, unknown images and matching platforms alone", () => {
    expect(
      linesOf("DD106", ["FROM --platform=$BUILDPLATFORM mcr.microsoft.com/windows/nanoserver:ltsc2022"]),
    ).toEqual([]);
    expect(linesOf("DD106", ["FROM --platform=linux/arm64 myorg/app:1.0"])).toEqual([]);
    expect(linesOf("DD106", ["FROM --platform=linux/arm64 alpine:3.20"])).toEqual([]);
    expect(
      linesOf("DD106", ["FROM --platform=linux/arm64 alpine AS a", "FROM --platform=linux/arm64 a"]),
    ).toEqual([]);
    expect(linesOf("DD106", ["FROM alpine AS a", "FROM --platform=linux/arm64 a"])).toEqual([]);
  });
});

describe("DD107 InvalidDefaultArgInFrom", () => {
  it("flags FROM lines that are invalid with the default ARG values", () => {
    expect(hits("DD107", ["ARG VERSION", "FROM busybox:$VERSION"])).toEqual([
      {
        line: 2,
        message: "Default value for ARG busybox:$VERSION results in empty or invalid base image name",
      },
    ]);
    expect(linesOf("DD107", ["ARG IMAGE", "FROM $IMAGE"])).toEqual([2]);
    expect(linesOf("DD107", ['ARG SFX="box:"', "FROM busy${SFX}"])).toEqual([2]);
  });
  it("accepts defaults, empty-safe suffixes and fallbacks", () => {
    expect(linesOf("DD107", ['ARG VERSION="latest"', "FROM busybox:${VERSION}"])).toEqual([]);
    expect(linesOf("DD107", ['ARG VARIANT=""', "FROM busybox:stable${VARIANT}"])).toEqual([]);
    expect(linesOf("DD107", ["ARG VARIANT", "FROM busybox:stable${VARIANT}"])).toEqual([]);
    expect(linesOf("DD107", ["ARG TAG", "FROM alpine:${TAG:-3.14}"])).toEqual([]);
    expect(linesOf("DD107", ["FROM --platform=$BUILDPLATFORM golang:1.22-${TARGETOS}"])).toEqual([]);
  });
  it("is an error: the default build cannot succeed", () => {
    expect(ruleNamed("DD107").severity).toBe("error");
  });
});

describe("DD108 InvalidDefinitionDescription", () => {
  it("flags comments above ARG and named FROM that do not start with the name", () => {
    const lines = [
      "# bar this is the bar",
      "ARG foo=bar",
      "# BasE this is the BasE image",
      "FROM scratch AS base",
      "# definitely a bad comment",
      "ARG version=latest",
      "# definitely a bad comment",
      "ARG foo=baz bar=qux baz=quux",
    ];
    expect(hits("DD108", lines)).toEqual([
      { line: 2, message: "Comment for ARG should follow the format: `# foo <description>`" },
      { line: 4, message: "Comment for FROM should follow the format: `# base <description>`" },
      { line: 6, message: "Comment for ARG should follow the format: `# version <description>`" },
      { line: 8, message: "Comment for ARG should follow the format: `# <arg_key> <description>`" },
    ]);
  });
  it("accepts descriptions, detached comments and pragmas", () => {
    const lines = [
      "# foo this is the foo",
      "ARG foo=bar",
      "# a note",
      "",
      "FROM scratch AS base",
      "# baz this is the baz",
      "ARG foo=baz bar=qux baz=quux",
      "# not a description",
      "#",
      "ARG bit=bat",
      "# hadolint ignore=DL3006",
      "FROM alpine AS other",
      "# comment for something other than ARG or FROM",
      "COPY a b",
    ];
    expect(linesOf("DD108", lines)).toEqual([]);
  });
  it("is off by default, as the experimental BuildKit check", () => {
    expect(ruleNamed("DD108").severity).toBe("ignore");
  });
});

describe("DD109 LegacyKeyValueFormat", () => {
  it("flags ENV and LABEL in the `key value` form", () => {
    expect(hits("DD109", ["FROM scratch", "ENV testkey value", "LABEL key value"])).toEqual([
      { line: 2, message: '"ENV key=value" should be used instead of legacy "ENV key value" format' },
      { line: 3, message: '"LABEL key=value" should be used instead of legacy "LABEL key value" format' },
    ]);
  });
  it("accepts key=value", () => {
    expect(linesOf("DD109", ["FROM scratch", "ENV testkey=value a=b", 'LABEL key="a value"'])).toEqual([]);
  });
});

describe("DD110 NoEmptyContinuation", () => {
  it("flags an empty line inside a continuation, on the instruction's line", () => {
    expect(
      hits("DD110", ["FROM scratch", "# comment", "COPY Dockerfile \\", "", ".", "COPY Dockerfile \\", "."]),
    ).toEqual([{ line: 3, message: "Empty continuation line (line 4)" }]);
  });
  it("accepts comment lines inside a continuation", () => {
    expect(linesOf("DD110", ["FROM scratch", "RUN a \\", "  # note", "  && b"])).toEqual([]);
  });
});

describe("DD111 SecretsUsedInArgOrEnv (beyond DL3064)", () => {
  it("flags keys BuildKit's word list catches and DL3064 does not", () => {
    expect(
      hits("DD111", ["FROM scratch", "ENV git_key=", "ARG NPM_AUTH", "ENV apikey=bar sunflower=foo"]),
    ).toEqual([
      { line: 2, message: 'Do not use ARG or ENV instructions for sensitive data (ENV "git_key")' },
      { line: 3, message: 'Do not use ARG or ENV instructions for sensitive data (ARG "NPM_AUTH")' },
      { line: 4, message: 'Do not use ARG or ENV instructions for sensitive data (ENV "apikey")' },
    ]);
  });
  it("leaves DL3064's cases, allowed words and global ARGs alone", () => {
    const lines = [
      "ARG SSH_KEY",
      "FROM scratch",
      "ARG SECRET_PASSPHRASE",
      "ENV password=bar secret=baz",
      "ENV PUBLIC_KEY=",
      "ARG AUTH_MODULE_VERSION",
      "ARG SECRET_KEY_FILE",
      "ENV MONKEY=1",
    ];
    expect(linesOf("DD111", lines)).toEqual([]);
  });
});

describe("DD112 StageNameCasing", () => {
  it("flags a stage name that is not lowercase", () => {
    expect(hits("DD112", ["FROM scratch AS BadStageName", "FROM scratch AS base2"])).toEqual([
      { line: 1, message: "Stage name 'BadStageName' should be lowercase" },
    ]);
  });
  it("accepts lowercase names and unnamed stages", () => {
    expect(linesOf("DD112", ["FROM Scratch", "FROM scratch AS build-1"])).toEqual([]);
  });
});

describe("DD113 UndefinedArgInFrom", () => {
  it("flags undeclared variables in the image and --platform, with suggestions", () => {
    expect(hits("DD113", ["FROM --platform=$BULIDPLATFORM scratch"])).toEqual([
      { line: 1, message: "FROM argument 'BULIDPLATFORM' is not declared (did you mean BUILDPLATFORM?)" },
    ]);
    expect(
      hits("DD113", ["ARG MY_OS=linux", "ARG MY_ARCH=amd64", "FROM --platform=linux/${MYARCH} busybox"]),
    ).toEqual([{ line: 3, message: "FROM argument 'MYARCH' is not declared (did you mean MY_ARCH?)" }]);
    expect(hits("DD113", ["ARG tag=latest", "FROM busybox:${tag}${version} AS b"])).toEqual([
      { line: 2, message: "FROM argument 'version' is not declared" },
    ]);
  });
  it("accepts global ARGs (with or without default) and predefined platform ARGs", () => {
    expect(linesOf("DD113", ["ARG base=scratch", "FROM $base"])).toEqual([]);
    expect(linesOf("DD113", ["FROM --platform=$BUILDPLATFORM scratch"])).toEqual([]);
    expect(linesOf("DD113", ["ARG DEBUG", "FROM scra${DEBUG:-tch}"])).toEqual([]);
  });
  it("does not see ARGs declared inside a stage", () => {
    expect(linesOf("DD113", ["FROM alpine", "ARG TAG=1", "FROM alpine:$TAG"])).toEqual([3]);
  });
});

describe("DD114 UndefinedVar", () => {
  it("flags variables no ARG or ENV declares (BuildKit's examples)", () => {
    expect(hits("DD114", ["FROM alpine AS base", "COPY $foo ."])).toEqual([
      { line: 2, message: "Usage of undefined variable '$foo'" },
    ]);
    expect(hits("DD114", ["FROM alpine AS base", "ARG VERSION=$foo"])).toEqual([
      { line: 2, message: "Usage of undefined variable '$foo'" },
    ]);
    expect(hits("DD114", ["FROM alpine", "ENV PATH=$PAHT:/app/bin"])).toEqual([
      { line: 2, message: "Usage of undefined variable '$PAHT' (did you mean $PATH?)" },
    ]);
  });
  it("flags a use before the declaration and suggests close names", () => {
    expect(linesOf("DD114", ["FROM alpine", "COPY $foo .", "ARG foo=bar", "RUN echo $foo"])).toEqual([2]);
    const lines = [
      "FROM alpine",
      "ARG DIR_BINARIES=binaries/",
      "ARG DIR_ASSETS=assets/",
      "COPY $DIR_ASSET .",
    ];
    expect(hits("DD114", lines)).toEqual([
      { line: 4, message: "Usage of undefined variable '$DIR_ASSET' (did you mean $DIR_ASSETS?)" },
    ]);
  });
  it("knows ARG, ENV, inherited stages, and where BuildKit expands", () => {
    expect(linesOf("DD114", ["FROM scratch", "ARG foo", "COPY Dockerfile${foo} ."])).toEqual([]);
    expect(
      linesOf("DD114", ["FROM alpine AS base", "ARG foo=Dockerfile", "FROM base", "COPY $foo ."]),
    ).toEqual([]);
    expect(linesOf("DD114", ["FROM alpine", "RUN echo $PATH $undefined", "CMD echo $nope"])).toEqual([]);
    expect(linesOf("DD114", ["FROM alpine", "ARG A=1 B=$A", "ENV C=$B", "WORKDIR /x/$C"])).toEqual([]);
    expect(linesOf("DD114", ["FROM alpine", "ENV A=1 B=$A"])).toEqual([2]);
    expect(linesOf("DD114", ["FROM alpine", "ENV A='$literal'", "COPY \\$escaped /x"])).toEqual([]);
    expect(linesOf("DD114", ["FROM alpine", "RUN --mount=type=cache,target=$CACHE true"])).toEqual([2]);
    expect(
      linesOf("DD114", ["FROM alpine", "COPY <<EOF /x", "$body", "EOF", "COPY <<'EOF' /y", "$quoted", "EOF"]),
    ).toEqual([2]);
  });
  it("treats global ARGs and platform ARGs as out of scope until declared in the stage", () => {
    expect(linesOf("DD114", ["ARG V=1", "FROM alpine", "COPY app-$V.tgz /"])).toEqual([3]);
    expect(linesOf("DD114", ["ARG V=1", "FROM alpine", "ARG V", "COPY app-$V.tgz /"])).toEqual([]);
    expect(linesOf("DD114", ["FROM alpine", "COPY bin/$TARGETARCH/app /"])).toEqual([2]);
    expect(linesOf("DD114", ["FROM alpine", "ARG TARGETARCH", "COPY bin/$TARGETARCH/app /"])).toEqual([]);
  });
  it("skips proxy variables", () => {
    expect(linesOf("DD114", ["FROM alpine", "ENV http_proxy=$HTTP_PROXY"])).toEqual([]);
  });
  it("is conservative when the base image environment is unknown", () => {
    // node sets NODE_VERSION, golang sets GOPATH: BuildKit would see them in the image.
    expect(linesOf("DD114", ["FROM node:20", "ENV V=$NODE_VERSION", "WORKDIR $APP_DIR"])).toEqual([]);
    expect(
      linesOf("DD114", ["ARG NODE_VERSION=20", "FROM node:${NODE_VERSION}", "LABEL v=$NODE_VERSION"]),
    ).toEqual([]);
    // ... but lower-case names, near misses and forgotten global ARGs are still mistakes.
    expect(linesOf("DD114", ["FROM node:20", "COPY $foo ."])).toEqual([2]);
    expect(linesOf("DD114", ["FROM node:20", "ARG APP_HOME_DIR=/app", "WORKDIR $APP_HOMEDIR"])).toEqual([3]);
    expect(linesOf("DD114", ["ARG APP_VERSION=1", "FROM node:20", "COPY app-$APP_VERSION.tgz /"])).toEqual([
      3,
    ]);
  });
});
