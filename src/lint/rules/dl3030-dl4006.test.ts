// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile snippets hold shell variables
import { describe, expect, it } from "vitest";
import { analyze } from "../engine.ts";
import { defaultLintSettings, type LintSettings } from "../settings.ts";
import {
  isEmail,
  isGitHash,
  isRfc3339,
  isSemver,
  isSpdxExpression,
  isUrl,
} from "../support/label-formats.ts";

/** Lines where `code` fires (raw hits, before severity filtering). */
function linesOf(code: string, dockerfile: string, settings: Partial<LintSettings> = {}): number[] {
  return analyze(`${dockerfile}\n`, "Dockerfile", { ...defaultLintSettings(), ...settings })
    .hits.filter((h) => h.code === code)
    .map((h) => h.line);
}

function messagesOf(code: string, dockerfile: string, settings: Partial<LintSettings>): string[] {
  return analyze(`${dockerfile}\n`, "Dockerfile", { ...defaultLintSettings(), ...settings })
    .hits.filter((h) => h.code === code)
    .map((h) => h.message);
}

const lines = (...l: string[]) => l.join("\n");

describe("package-manager rules (DL3030–DL3041)", () => {
  it("match tools by path and report ONBUILD RUN at the ONBUILD line", () => {
    expect(linesOf("DL3030", "FROM centos\nRUN /usr/bin/yum install httpd-2.4")).toEqual([2]);
    expect(linesOf("DL3038", "FROM fedora\nONBUILD RUN dnf install httpd-2.4")).toEqual([2]);
  });

  it("do not take the value of --enablerepo for a package", () => {
    expect(linesOf("DL3033", "RUN yum install -y --enablerepo epel foo-1.2 && yum clean all")).toEqual([]);
    expect(linesOf("DL3041", "RUN dnf install -y --setopt tsflags=nodocs foo && dnf clean all")).toEqual([1]);
  });

  it("count only an rm of the package cache as cleaning up", () => {
    expect(linesOf("DL3032", "RUN yum install -y a-1 && rm -rf /tmp/build")).toEqual([1]);
    expect(linesOf("DL3040", "RUN dnf install -y a-1 && rm -rf /var/cache/dnf")).toEqual([]);
  });

  it("accept a cache mount on the yum cache (DL3032)", () => {
    expect(linesOf("DL3032", "RUN --mount=type=cache,target=/var/cache/yum yum install -y a-1")).toEqual([]);
  });

  it("keep ONBUILD variables apart from the parent's (DL3033)", () => {
    const df = lines("FROM fedora", "ONBUILD ARG v=1", "ONBUILD RUN yum install -y git-${v}");
    expect(linesOf("DL3033", df)).toEqual([]);
    expect(linesOf("DL3033", lines("FROM fedora", "ARG v=1", "ONBUILD RUN yum install -y git-$v"))).toEqual([
      3,
    ]);
  });
});

describe("DL3042", () => {
  it("lets an ONBUILD RUN see the ENV its image passes on", () => {
    expect(
      linesOf("DL3042", lines("FROM python", "ENV PIP_NO_CACHE_DIR=1", "ONBUILD RUN pip install x")),
    ).toEqual([]);
  });

  it("turns the setting off again with a falsy ENV", () => {
    const df = lines("FROM python", "ENV PIP_NO_CACHE_DIR=1", "ENV PIP_NO_CACHE_DIR=0", "RUN pip install x");
    expect(linesOf("DL3042", df)).toEqual([4]);
  });

  it("reads python -m pip and skips pipx", () => {
    expect(linesOf("DL3042", "RUN python3 -m pip install x")).toEqual([1]);
    expect(linesOf("DL3042", "RUN python3 -m pipx install x")).toEqual([]);
  });
});

describe("DL3044", () => {
  it("sees ${VAR:-default} as a reference", () => {
    expect(linesOf("DL3044", "ENV A=1 B=${A:-x}")).toEqual([1]);
    expect(linesOf("DL3044", "ENV A=1 B=${AB:-x}")).toEqual([]);
  });
});

describe("DL3045", () => {
  it("does not let an unnamed stage pass WORKDIR to another stage of the same image", () => {
    const df = lines("FROM debian", "WORKDIR /app", "FROM debian", "COPY a b");
    expect(linesOf("DL3045", df)).toEqual([4]);
  });

  it("reads the destination of the exec form", () => {
    expect(linesOf("DL3045", 'COPY ["a", "b"]')).toEqual([1]);
    expect(linesOf("DL3045", 'COPY ["a", "/b"]')).toEqual([]);
  });
});

describe("DL3046", () => {
  it("reads --uid as well as -u", () => {
    expect(linesOf("DL3046", "RUN useradd --uid 1234567 app")).toEqual([1]);
    expect(linesOf("DL3046", "RUN useradd --uid=1234567 app")).toEqual([1]);
    expect(linesOf("DL3046", "RUN useradd --no-log-init --uid 1234567 app")).toEqual([]);
  });
});

describe("label rules", () => {
  it("name the label in the message, one hit per schema label", () => {
    const settings = { labelSchema: { a: "url", b: "url" } as const };
    expect(messagesOf("DL3052", 'LABEL a="x" b="y"', settings)).toEqual([
      "Label `a` is not a valid URL.",
      "Label `b` is not a valid URL.",
    ]);
  });

  it("report DL3049 once per stage missing the label, at its FROM", () => {
    const settings = { labelSchema: { foo: "text" } as const };
    const df = lines("FROM a AS build", "RUN x", "FROM b", "COPY --from=build /x /x", "FROM c");
    // build is only a COPY source; the second and third stages lack the label.
    expect(linesOf("DL3049", df, settings)).toEqual([3, 5]);
    expect(linesOf("DL3049", lines("FROM a AS base", 'LABEL foo="1"', "FROM base"), settings)).toEqual([]);
  });

  it("ignore ONBUILD LABEL", () => {
    expect(linesOf("DL3048", "FROM a\nONBUILD LABEL Bad=1")).toEqual([]);
    expect(linesOf("DL3048", "FROM a\nLABEL Bad=1")).toEqual([2]);
  });

  it("validate formats", () => {
    expect(isUrl("https://example.com/a?b=c#d")).toBe(true);
    expect(isUrl("example.com")).toBe(false);
    expect(isRfc3339("2021-03-10T10:26:33Z")).toBe(true);
    expect(isRfc3339("2021-02-30T10:26:33Z")).toBe(false);
    expect(isSpdxExpression("MIT")).toBe(true);
    expect(isSpdxExpression("mit")).toBe(true);
    expect(isSpdxExpression("(MIT OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0")).toBe(true);
    expect(isSpdxExpression("LicenseRef-mine")).toBe(true);
    expect(isSpdxExpression("MIT OR")).toBe(false);
    expect(isSpdxExpression("not-spdx")).toBe(false);
    expect(isGitHash("2dbfae9")).toBe(true);
    expect(isGitHash("2dbfae91a")).toBe(true);
    expect(isGitHash("2DBFAE9")).toBe(false);
    expect(isSemver("1.0.0-rc.1+build.5")).toBe(true);
    expect(isSemver("1.0")).toBe(false);
    expect(isEmail("a.b+c@example.org")).toBe(true);
    expect(isEmail("a@@b")).toBe(false);
  });
});

describe("DL3057", () => {
  it("settles every stage a HEALTHCHECK stage builds on, transitively", () => {
    const df = lines("FROM scratch AS a", "FROM a AS b", "FROM b", "HEALTHCHECK NONE");
    expect(linesOf("DL3057", df)).toEqual([]);
  });

  it("does not treat two unnamed stages of one image as related", () => {
    expect(linesOf("DL3057", lines("FROM debian", "HEALTHCHECK NONE", "FROM debian"))).toEqual([3]);
  });
});

describe("DL3059", () => {
  it("compares --mount flags as a set", () => {
    const df = lines(
      "RUN --mount=type=cache,target=/a --mount=type=secret,id=x a",
      "RUN --mount=type=secret,id=x --mount=type=cache,target=/a b",
    );
    expect(linesOf("DL3059", df)).toEqual([2]);
  });

  it("leaves heredoc RUNs and ONBUILD RUNs alone", () => {
    expect(linesOf("DL3059", lines("RUN a", "RUN <<EOF", "b", "EOF"))).toEqual([]);
    expect(linesOf("DL3059", lines("ONBUILD RUN a", "ONBUILD RUN b"))).toEqual([]);
  });
});

describe("DL3060", () => {
  it("skips a stage used only by COPY --from", () => {
    expect(
      linesOf("DL3060", lines("FROM node AS a", "RUN yarn install", "FROM node", "COPY --from=a /x /x")),
    ).toEqual([]);
  });
});

describe("DL3062", () => {
  it("reads only the package of go run, not the program's arguments", () => {
    expect(linesOf("DL3062", "RUN go run example.com/x@v1.0.0 other/arg")).toEqual([]);
    expect(linesOf("DL3062", "RUN go install ./... && go install example.com/y@none")).toEqual([1]);
  });
});

describe("DL3063 and DL3066", () => {
  it("treats stage names case-insensitively", () => {
    expect(linesOf("DL3063", "FROM a AS Scratch")).toEqual([1]);
  });

  it("accepts a USER from an ENV variable", () => {
    expect(linesOf("DL3066", lines("FROM a", "ENV APP_USER=1000", "USER ${APP_USER}"))).toEqual([]);
    expect(linesOf("DL3066", lines("FROM a", "USER $UNDEFINED"))).toEqual([2]);
  });
});

describe("DL4001, DL4003, DL4004", () => {
  it("groups ONBUILD RUNs on their own (DL4001)", () => {
    expect(linesOf("DL4001", lines("FROM a", "RUN wget x", "ONBUILD RUN curl y"))).toEqual([]);
    expect(linesOf("DL4001", lines("FROM a", "ONBUILD RUN wget x", "ONBUILD RUN curl y"))).toEqual([3]);
  });

  it("counts per stage, the first one excused", () => {
    expect(linesOf("DL4003", lines("CMD a", "FROM x", "CMD b", "CMD c"))).toEqual([4]);
    expect(linesOf("DL4004", lines("FROM x", "ENTRYPOINT a", "ONBUILD ENTRYPOINT b"))).toEqual([]);
  });
});

describe("DL4006", () => {
  const bash = 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]';

  it("accepts a script that sets pipefail itself before the pipe (hadolint#1137)", () => {
    expect(
      linesOf("DL4006", lines("FROM a", "RUN <<EOF bash", "set -euo pipefail", "curl x | tar x", "EOF")),
    ).toEqual([]);
    expect(
      linesOf("DL4006", lines("FROM a", "RUN <<EOF", "set -o pipefail", "curl x | tar x", "EOF")),
    ).toEqual([]);
    expect(linesOf("DL4006", "FROM a\nRUN set -o pipefail && curl x | tar x")).toEqual([]);
    expect(linesOf("DL4006", "FROM a\nRUN curl x | tar x && set -o pipefail")).toEqual([2]);
  });

  it("reads heredocs fed to a shell, not heredocs that are data", () => {
    expect(linesOf("DL4006", lines("FROM a", "RUN bash <<EOF", "curl x | tar x", "EOF"))).toEqual([2]);
    expect(linesOf("DL4006", lines("FROM a", "RUN cat <<EOF > /x.sh", "a | b", "EOF"))).toEqual([]);
    expect(
      linesOf("DL4006", lines("FROM a", "RUN <<EOF", "#!/usr/bin/env python3", "print(1 | 2)", "EOF")),
    ).toEqual([]);
  });

  it("keeps the SHELL of the stage a stage builds on", () => {
    expect(linesOf("DL4006", lines("FROM a AS base", bash, "FROM base", "RUN a | b"))).toEqual([]);
    expect(linesOf("DL4006", lines("FROM a AS base", bash, "FROM a", "RUN a | b"))).toEqual([4]);
  });

  it("accepts ksh, skips non-POSIX shells, exec form and ONBUILD RUN", () => {
    expect(
      linesOf("DL4006", lines("FROM a", 'SHELL ["/bin/ksh", "-o", "pipefail", "-c"]', "RUN a | b")),
    ).toEqual([]);
    expect(
      linesOf("DL4006", lines("FROM a", 'SHELL ["C:\\\\Windows\\\\cmd.exe", "/S", "/C"]', "RUN a | b")),
    ).toEqual([]);
    expect(linesOf("DL4006", lines("# hadolint shell=powershell", "FROM a", "RUN a | b"))).toEqual([]);
    expect(linesOf("DL4006", lines("FROM a", 'RUN ["sh", "-c", "a | b"]'))).toEqual([]);
    expect(linesOf("DL4006", lines("FROM a", "ONBUILD RUN a | b"))).toEqual([]);
  });
});
