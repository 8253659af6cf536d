import { describe, expect, it } from "vitest";
import { parseDockerfile } from "../dockerfile/parse.ts";
import type { ImageConfig } from "../image/types.ts";
import {
  alignHistory,
  dockerfileSteps,
  finalStageChain,
  type HistoryStep,
  historySteps,
  parseCreatedBy,
} from "./history.ts";

describe("parseCreatedBy", () => {
  it.each([
    // Classic builder (docker build with DOCKER_BUILDKIT=0), as `docker history --no-trunc` shows it.
    ['/bin/sh -c #(nop)  CMD ["sh"]', "classic", "CMD", '["sh"]'],
    ["/bin/sh -c #(nop) WORKDIR /w", "classic", "WORKDIR", "/w"],
    ["/bin/sh -c #(nop) COPY file:9a14a34b8aab in /app/ ", "classic", "COPY", "file:9a14a34b8aab in /app/"],
    ["/bin/sh -c #(nop)  ARG X=1", "classic", "ARG", "X=1"],
    [
      "|1 X=1 /bin/sh -c echo hi > /a &&     echo there > /b",
      "classic",
      "RUN",
      "echo hi > /a &&     echo there > /b",
    ],
    ["|1 X=1 sh -c echo x > /c", "classic", "RUN", "echo x > /c"],
    ["/bin/sh -c apt-get update", "classic", "RUN", "apt-get update"],
    ["/bin/bash -o pipefail -c #(nop)  ENV A=b", "classic", "ENV", "A=b"],
    ["/bin/bash -o pipefail -c curl -fsSL x | sh", "classic", "RUN", "curl -fsSL x | sh"],
    // BuildKit.
    ["RUN /bin/sh -c apt-get update # buildkit", "buildkit", "RUN", "apt-get update"],
    ["RUN |2 A=1 B=2 /bin/sh -c make install # buildkit", "buildkit", "RUN", "make install"],
    [
      "RUN --mount=type=cache,target=/root/.cache /bin/sh -c pip install x # buildkit",
      "buildkit",
      "RUN",
      "pip install x",
    ],
    ["COPY app.py /app/ # buildkit", "buildkit", "COPY", "app.py /app/"],
    [
      "COPY --from=builder /out/bin /usr/local/bin/ # buildkit",
      "buildkit",
      "COPY",
      "--from=builder /out/bin /usr/local/bin/",
    ],
    ["WORKDIR /app", "buildkit", "WORKDIR", "/app"],
    ['CMD ["nginx" "-g" "daemon off;"]', "buildkit", "CMD", '["nginx" "-g" "daemon off;"]'],
    ["", "unknown", undefined, ""],
  ])("%s", (createdBy, builder, keyword, body) => {
    expect(parseCreatedBy(createdBy)).toEqual({ builder, ...(keyword ? { keyword } : {}), body });
  });
});

function history(entries: Array<[string, boolean?]>, layers?: number): HistoryStep[] {
  const config: ImageConfig = {
    architecture: "amd64",
    os: "linux",
    rootfs: { type: "layers", diff_ids: [] },
    history: entries.map(([created_by, empty]) => ({ created_by, ...(empty ? { empty_layer: true } : {}) })),
  };
  return historySteps(config, layers ?? entries.filter(([, e]) => !e).length);
}

describe("history ↔ Dockerfile alignment", () => {
  const dockerfile = parseDockerfile(
    [
      "FROM golang:1.22 AS build", // 1
      "WORKDIR /src", // 2
      "COPY . .", // 3
      "RUN go build -o /out/app .", // 4
      "", // 5
      "FROM debian:bookworm-slim", // 6
      "RUN apt-get update && \\", // 7
      "    apt-get install -y ca-certificates", // 8
      "COPY --from=build /out/app /usr/local/bin/app", // 9
      'CMD ["app"]', // 10
      "",
    ].join("\n"),
  );

  it("matches only the final stage's lines, classic builder", () => {
    const steps = history([
      ["/bin/sh -c #(nop) ADD file:abc in / "],
      ['/bin/sh -c #(nop)  CMD ["bash"]', true],
      ["/bin/sh -c apt-get update &&     apt-get install -y ca-certificates"],
      ["/bin/sh -c #(nop) COPY file:def in /usr/local/bin/app "],
      ['/bin/sh -c #(nop)  CMD ["app"]', true],
    ]);
    const chain = finalStageChain(dockerfile);
    expect(chain.map((s) => s.index)).toEqual([1]);
    const alignment = alignHistory(steps, dockerfileSteps(chain));
    const lines = alignment.stepOfHistory.map((s) =>
      s === undefined ? undefined : dockerfileSteps(chain)[s]!.instruction.line,
    );
    // The base image's CMD ["bash"] is not taken for line 10: the latest CMD is.
    expect(lines).toEqual([undefined, undefined, 7, 9, 10]);
    expect(alignment.firstMatch).toBe(2);
    expect(alignment.layerSteps).toBe(2);
    expect(alignment.matchedLayerSteps).toBe(2);
    expect(steps.map((s) => s.layer)).toEqual([0, undefined, 1, 2, undefined]);
  });

  it("matches BuildKit history", () => {
    const steps = history([
      ["ADD file:abc in / "],
      ['CMD ["bash"]', true],
      ["RUN /bin/sh -c apt-get update &&     apt-get install -y ca-certificates # buildkit"],
      ["COPY /out/app /usr/local/bin/app # buildkit"],
      ['CMD ["app"]', true],
    ]);
    const chain = finalStageChain(dockerfile);
    const alignment = alignHistory(steps, dockerfileSteps(chain));
    expect(alignment.stepOfHistory).toEqual([undefined, undefined, 0, 1, 2]);
  });

  it("follows FROM <stage> chains and --target", () => {
    const df = parseDockerfile(
      [
        "FROM alpine AS base",
        "RUN apk add curl",
        "FROM base AS app",
        "RUN echo hi",
        "FROM alpine AS other",
        "RUN true",
      ].join("\n"),
    );
    expect(finalStageChain(df, "app").map((s) => s.name)).toEqual(["base", "app"]);
    expect(finalStageChain(df).map((s) => s.name)).toEqual(["other"]);
    expect(finalStageChain(df, "missing")).toEqual([]);
  });

  it("does not match RUN lines whose command differs", () => {
    const steps = history([["/bin/sh -c apt-get install -y curl"]]);
    const df = parseDockerfile("FROM debian\nRUN apt-get install -y wget\n");
    expect(alignHistory(steps, dockerfileSteps(finalStageChain(df))).matched).toBe(0);
  });

  it("matches exec-form RUN and heredoc RUN", () => {
    const steps = history([
      ["|1 X=1 sh -c echo x > /c"],
      ["RUN /bin/sh -c set -e\necho one\necho two # buildkit"],
    ]);
    const df = parseDockerfile(
      [
        "FROM alpine",
        'RUN ["sh","-c","echo x > /c"]',
        "RUN <<EOF",
        "set -e",
        "echo one",
        "echo two",
        "EOF",
        "",
      ].join("\n"),
    );
    const alignment = alignHistory(steps, dockerfileSteps(finalStageChain(df)));
    expect(alignment.stepOfHistory).toEqual([0, 1]);
  });
});
