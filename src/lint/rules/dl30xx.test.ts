import { describe, expect, it } from "vitest";
import { analyze } from "../engine.ts";
import { defaultLintSettings } from "../settings.ts";

/** Lines where `code` fires on the given Dockerfile. */
function linesOf(code: string, dockerfile: string, trustedRegistries: string[] = []): number[] {
  const settings = { ...defaultLintSettings(), trustedRegistries };
  return analyze(`${dockerfile}\n`, "Dockerfile", settings)
    .hits.filter((h) => h.code === code)
    .map((h) => h.line);
}

describe("DL1001", () => {
  it("flags drydock pragmas and scoped hadolint pragmas too", () => {
    const df = ["# hadolint global ignore=DL3003", "# drydock ignore=DL3004 needs root", "RUN sudo x"].join(
      "\n",
    );
    expect(linesOf("DL1001", df)).toEqual([1, 2]);
  });
});

describe("RUN rules", () => {
  it("see ONBUILD RUN and report the ONBUILD line", () => {
    expect(linesOf("DL3004", "FROM debian:12\nONBUILD RUN sudo make install")).toEqual([2]);
    expect(linesOf("DL3003", "FROM debian:12\nONBUILD RUN cd /src && make")).toEqual([2]);
  });

  it("read heredoc scripts", () => {
    expect(linesOf("DL3004", "FROM debian:12\nRUN <<EOF\nset -e\nsudo apt-get update\nEOF")).toEqual([2]);
  });

  it("do not look inside sh -c strings, as hadolint", () => {
    expect(linesOf("DL3004", `RUN sh -c "sudo whoami"`)).toEqual([]);
  });

  it("find commands inside loops and pipelines", () => {
    expect(linesOf("DL3003", "RUN for d in a b; do cd $d; done")).toEqual([1]);
    expect(linesOf("DL3001", "RUN ps aux | grep x")).toEqual([1]);
  });
});

describe("DL3002", () => {
  it("ignores ONBUILD USER and judges each stage by its last USER", () => {
    const df = ["FROM debian:12 AS a", "USER app", "ONBUILD USER root", "FROM a", "USER 0:0"].join("\n");
    expect(linesOf("DL3002", df)).toEqual([5]);
  });
});

describe("DL3006 / DL3007 with ARG defaults", () => {
  it("substitutes global ARG defaults", () => {
    expect(linesOf("DL3006", `ARG IMG=python:3.12@sha256:abc\nFROM \${IMG}`)).toEqual([]);
    expect(linesOf("DL3006", "ARG IMG=python\nFROM $IMG")).toEqual([2]);
    expect(linesOf("DL3006", `ARG NAME\nFROM registry.example.com/\${NAME}`)).toEqual([]);
    expect(linesOf("DL3006", `ARG V=3.20\nFROM alpine:\${V:-3.19}`)).toEqual([]);
    expect(linesOf("DL3007", `ARG TAG=latest\nFROM debian:\${TAG}`)).toEqual([2]);
  });

  it("accepts earlier stage names case-insensitively, not later ones", () => {
    expect(linesOf("DL3006", "FROM node:22 AS Build\nFROM build")).toEqual([]);
    expect(linesOf("DL3006", "FROM later\nFROM node:22 AS later")).toEqual([1]);
  });

  it("reads a registry port as no tag", () => {
    expect(linesOf("DL3006", "FROM localhost:5000/app")).toEqual([1]);
    expect(linesOf("DL3006", "FROM localhost:5000/app:1")).toEqual([]);
  });
});

describe("apt rules", () => {
  it("DL3008 does not read option values as packages", () => {
    expect(
      linesOf("DL3008", "RUN apt-get install -y -t bookworm-backports -o Foo::Bar=1 git=1:2.39"),
    ).toEqual([]);
    expect(linesOf("DL3008", "RUN apt-get install -y -c apt.conf git")).toEqual([1]);
  });

  it("DL3014 accepts more than two -q and Assume-Yes", () => {
    expect(linesOf("DL3014", "RUN apt-get install -qqq git")).toEqual([]);
    expect(linesOf("DL3014", "RUN apt-get -o APT::Get::Assume-Yes=true install git")).toEqual([]);
  });

  it("DL3009 reports stages that ship, not stages only copied from", () => {
    const copiedFrom = [
      "FROM debian:12 AS build",
      "RUN apt-get update && apt-get install -y gcc",
      "FROM debian:12",
      "COPY --from=build /out /out",
    ].join("\n");
    expect(linesOf("DL3009", copiedFrom)).toEqual([]);
    const baseOfLater = ["FROM debian:12 AS base", "RUN apt-get update", "FROM base AS app", "RUN true"].join(
      "\n",
    );
    expect(linesOf("DL3009", baseOfLater)).toEqual([2]);
    expect(linesOf("DL3009", "FROM debian:12 AS b\nONBUILD RUN apt-get update\nFROM debian:12")).toEqual([2]);
  });

  it("DL3009 wants the lists removed, not any rm -rf", () => {
    expect(linesOf("DL3009", "RUN apt-get update && apt-get install -y x && rm -rf /tmp/*")).toEqual([1]);
    expect(
      linesOf("DL3009", "RUN apt-get update && apt-get install -y x && rm -r /var/lib/apt/lists"),
    ).toEqual([]);
  });
});

describe("DL3010", () => {
  it("checks every stage, not only the last", () => {
    const df = [
      "FROM debian:12 AS build",
      "COPY app.tar.gz /tmp/",
      "RUN tar xzf /tmp/app.tar.gz -C /opt",
      "FROM debian:12",
      "RUN true",
    ].join("\n");
    expect(linesOf("DL3010", df)).toEqual([2]);
  });

  it("does not take tar --exclude for an extraction", () => {
    expect(linesOf("DL3010", "COPY a.tar /a.tar\nRUN tar --exclude=x -cf b.tar /a.tar")).toEqual([]);
  });
});

describe("package pinning", () => {
  it("DL3013 needs a ref after the host of a VCS URL", () => {
    expect(linesOf("DL3013", "RUN pip install git+ssh://git@github.com/org/repo.git#egg=repo")).toEqual([1]);
    expect(linesOf("DL3013", "RUN pip install git+ssh://git@github.com/org/repo.git@v1#egg=repo")).toEqual(
      [],
    );
  });

  it("DL3016 reads npm i and npm add", () => {
    expect(linesOf("DL3016", "RUN npm i express")).toEqual([1]);
    expect(linesOf("DL3016", "RUN npm add -D express@4")).toEqual([]);
    expect(linesOf("DL3016", "RUN npm ci")).toEqual([]);
  });

  it("DL3028 does not let a switch hide the gem after it", () => {
    expect(linesOf("DL3028", "RUN gem install --no-document rails")).toEqual([1]);
    expect(linesOf("DL3028", "RUN gem install --no-document rails:7.1")).toEqual([]);
  });
});

describe("COPY --from rules", () => {
  it("DL3022 accepts external images and variables", () => {
    expect(linesOf("DL3022", "FROM debian:12\nCOPY --from=ghcr.io/astral-sh/uv /uv /bin/")).toEqual([]);
    expect(linesOf("DL3022", "ARG B=x\nFROM debian:12\nCOPY --from=$B /a /a")).toEqual([]);
    expect(linesOf("DL3022", "FROM debian:12 AS Build\nFROM debian:12\nCOPY --from=build /a /a")).toEqual([]);
    expect(linesOf("DL3022", "FROM debian:12\nCOPY --from=1 /a /a")).toEqual([2]);
  });

  it("DL3023 compares stage names case-insensitively", () => {
    expect(linesOf("DL3023", "FROM debian:12 AS App\nCOPY --from=app /a /a")).toEqual([2]);
  });
});

describe("DL3026", () => {
  const trusted = ["trusted.com", "*.corp.example"];

  it("skips stage names, stage numbers and scratch", () => {
    const df = [
      "FROM trusted.com/base:1 AS base",
      "FROM scratch",
      "COPY --from=0 /a /a",
      "COPY --from=base /b /b",
      "RUN --mount=type=bind,from=base,target=/m true",
    ].join("\n");
    expect(linesOf("DL3026", df, trusted)).toEqual([]);
  });

  it("substitutes ARG defaults and checks ONBUILD pulls", () => {
    expect(linesOf("DL3026", `ARG REG=evil.io\nFROM \${REG}/app:1`, trusted)).toEqual([2]);
    expect(linesOf("DL3026", `ARG REG=a.corp.example\nFROM \${REG}/app:1`, trusted)).toEqual([]);
    expect(linesOf("DL3026", "FROM trusted.com/a:1\nONBUILD COPY --from=evil.io/x:1 /a /a", trusted)).toEqual(
      [2],
    );
    expect(linesOf("DL3026", "ARG IMG\nFROM $IMG", trusted)).toEqual([]);
  });

  it("treats bare names as Docker Hub", () => {
    expect(linesOf("DL3026", "FROM debian:12", ["docker.io"])).toEqual([]);
    expect(linesOf("DL3026", "FROM docker.io/library/debian:12", ["hub.docker.com"])).toEqual([]);
    expect(linesOf("DL3026", "FROM debian:12", trusted)).toEqual([1]);
  });
});

describe("instruction-shape rules", () => {
  it("DL3025 reads HEALTHCHECK options and NONE", () => {
    expect(linesOf("DL3025", "HEALTHCHECK --interval=5s CMD curl -f http://localhost/")).toEqual([1]);
    expect(linesOf("DL3025", `HEALTHCHECK --interval=5s CMD ["curl", "-f", "http://localhost/"]`)).toEqual(
      [],
    );
    expect(linesOf("DL3025", "HEALTHCHECK NONE")).toEqual([]);
  });

  it("DL3011 checks every port of an EXPOSE", () => {
    expect(linesOf("DL3011", "EXPOSE 80/udp 70000/tcp")).toEqual([1]);
    expect(linesOf("DL3011", "EXPOSE 80/udp 443")).toEqual([]);
  });

  it("DL3021 and DL3020 read exec form", () => {
    expect(linesOf("DL3021", `COPY ["a", "b", "/dest"]`)).toEqual([1]);
    expect(linesOf("DL3020", `ADD ["app.tar.gz", "/opt/"]`)).toEqual([]);
    expect(linesOf("DL3020", "ADD git@github.com:moby/buildkit.git /src")).toEqual([]);
  });

  it("DL3012 and DL3024 count per stage / across stages", () => {
    expect(linesOf("DL3012", "FROM a:1\nHEALTHCHECK NONE\nHEALTHCHECK CMD x\nHEALTHCHECK CMD y")).toEqual([
      3, 4,
    ]);
    expect(linesOf("DL3024", "FROM a:1 AS x\nFROM b:1 AS X")).toEqual([2]);
  });

  it("DL3029 allows the predefined platform args only", () => {
    expect(linesOf("DL3029", "FROM --platform=$BUILDPLATFORM a:1")).toEqual([]);
    expect(linesOf("DL3029", "FROM --platform=linux/amd64 a:1")).toEqual([1]);
  });
});
