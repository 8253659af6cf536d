import { describe, expect, test } from "vitest";
import type { ContextAccess } from "../types.ts";
import { df, fakeContext, fixCode } from "./test-kit.ts";

/** [title, input, expected output (same as input: no fix), build context]. */
type Case = [string, string, string, ContextAccess?];

function cases(code: string, table: Case[]): void {
  describe(code, () => {
    test.each(table)("%s", (_title, input, expected, context) => {
      expect(fixCode(code, input, context)).toBe(expected);
    });
  });
}

const DEBIAN = "FROM debian:bookworm-slim";

cases("DL3014", [
  [
    "adds -y after install",
    df(DEBIAN, "RUN apt-get install curl"),
    df(DEBIAN, "RUN apt-get install -y curl"),
  ],
  [
    "every flagged install of the RUN",
    df(DEBIAN, "RUN apt-get update && apt-get install curl && apt-get install git"),
    df(DEBIAN, "RUN apt-get update && apt-get install -y curl && apt-get install -y git"),
  ],
  [
    "option values before install",
    df(DEBIAN, "RUN apt-get -o Dpkg::Options::=--force-confnew install curl"),
    df(DEBIAN, "RUN apt-get -o Dpkg::Options::=--force-confnew install -y curl"),
  ],
  [
    "continuation lines",
    df(DEBIAN, "RUN apt-get install \\", "      curl"),
    df(DEBIAN, "RUN apt-get install -y \\", "      curl"),
  ],
  [
    "ONBUILD RUN",
    df(DEBIAN, "ONBUILD RUN apt-get install x"),
    df(DEBIAN, "ONBUILD RUN apt-get install -y x"),
  ],
  ["quiet is not yes", df(DEBIAN, "RUN apt-get -q install x"), df(DEBIAN, "RUN apt-get -q install -y x")],
  [
    "exec form: no fix",
    df(DEBIAN, 'RUN ["apt-get", "install", "x"]'),
    df(DEBIAN, 'RUN ["apt-get", "install", "x"]'),
  ],
]);

cases("DL3015", [
  [
    "after install",
    df(DEBIAN, "RUN apt-get install curl"),
    df(DEBIAN, "RUN apt-get install --no-install-recommends curl"),
  ],
  [
    "after the -y that follows install",
    df(DEBIAN, "RUN apt-get install -yq curl"),
    df(DEBIAN, "RUN apt-get install -yq --no-install-recommends curl"),
  ],
  [
    "-y before install",
    df(DEBIAN, "RUN apt-get -y install curl"),
    df(DEBIAN, "RUN apt-get -y install --no-install-recommends curl"),
  ],
]);

cases("DL3027", [
  ["install", df(DEBIAN, "RUN apt install -y curl"), df(DEBIAN, "RUN apt-get install -y curl")],
  ["update", df(DEBIAN, "RUN apt update"), df(DEBIAN, "RUN apt-get update")],
  ["full path", df(DEBIAN, "RUN /usr/bin/apt remove x"), df(DEBIAN, "RUN /usr/bin/apt-get remove x")],
  [
    "upgrade may install new dependencies",
    df(DEBIAN, "RUN apt upgrade -y"),
    df(DEBIAN, "RUN apt-get upgrade --with-new-pkgs -y"),
  ],
  ["full-upgrade", df(DEBIAN, "RUN apt -y full-upgrade"), df(DEBIAN, "RUN apt-get -y dist-upgrade")],
  [
    "apt-only subcommand: no fix",
    df(DEBIAN, "RUN apt list --installed"),
    df(DEBIAN, "RUN apt list --installed"),
  ],
  [
    "all or nothing in one RUN",
    df(DEBIAN, "RUN apt update && apt search x"),
    df(DEBIAN, "RUN apt update && apt search x"),
  ],
]);

cases("DL3019", [
  [
    "adds --no-cache",
    df("FROM alpine:3.20", "RUN apk add curl"),
    df("FROM alpine:3.20", "RUN apk add --no-cache curl"),
  ],
  [
    "replaces --update",
    df("FROM alpine:3.20", "RUN apk add --update curl"),
    df("FROM alpine:3.20", "RUN apk add --no-cache curl"),
  ],
  [
    "replaces -U before add",
    df("FROM alpine:3.20", "RUN apk -U add curl"),
    df("FROM alpine:3.20", "RUN apk --no-cache add curl"),
  ],
  [
    "global option with a value",
    df("FROM alpine:3.20", "RUN apk --root /x add curl"),
    df("FROM alpine:3.20", "RUN apk --root /x add --no-cache curl"),
  ],
]);

cases("DL3042", [
  [
    "pip",
    df("FROM python:3.12", "RUN pip install -r req.txt"),
    df("FROM python:3.12", "RUN pip install --no-cache-dir -r req.txt"),
  ],
  [
    "python -m pip",
    df("FROM python:3.12", "RUN python3 -m pip install flask==3.0.0"),
    df("FROM python:3.12", "RUN python3 -m pip install --no-cache-dir flask==3.0.0"),
  ],
  [
    "pip options before install",
    df("FROM python:3.12", "RUN pip3 -q install x"),
    df("FROM python:3.12", "RUN pip3 -q install --no-cache-dir x"),
  ],
]);

cases("DL3047", [
  [
    "GNU wget on Debian",
    df(DEBIAN, "RUN wget https://example.com/x"),
    df(DEBIAN, "RUN wget --progress=dot:giga https://example.com/x"),
  ],
  [
    "BusyBox wget rejects --progress: no fix",
    df("FROM alpine:3.20", "RUN wget https://example.com/x"),
    df("FROM alpine:3.20", "RUN wget https://example.com/x"),
  ],
  [
    "through a stage",
    df("FROM ubuntu:24.04 AS base", "FROM base", "RUN wget https://example.com/x"),
    df("FROM ubuntu:24.04 AS base", "FROM base", "RUN wget --progress=dot:giga https://example.com/x"),
  ],
  [
    "unknown base: no fix",
    df("FROM example.com/team/base:1", "RUN wget https://example.com/x"),
    df("FROM example.com/team/base:1", "RUN wget https://example.com/x"),
  ],
]);

cases("DL3020", [
  ["file with an extension", df(DEBIAN, "ADD app.py /app/"), df(DEBIAN, "COPY app.py /app/")],
  ["folder", df(DEBIAN, "ADD --chown=1000 src/ /app/"), df(DEBIAN, "COPY --chown=1000 src/ /app/")],
  ["lower case keyword", df("from debian", "add app.py /app/"), df("from debian", "copy app.py /app/")],
  ["JSON form", df(DEBIAN, 'ADD ["a b.txt", "/x/"]'), df(DEBIAN, 'COPY ["a b.txt", "/x/"]')],
  [
    "text file from the context",
    df(DEBIAN, "ADD config /etc/app/"),
    df(DEBIAN, "COPY config /etc/app/"),
    fakeContext({ config: "key=value\n" }),
  ],
  [
    "binary file from the context might be an archive: no fix",
    df(DEBIAN, "ADD data /srv/"),
    df(DEBIAN, "ADD data /srv/"),
    fakeContext({ data: "\u001f\uFFFD\b\0\0" }),
  ],
  ["no context, no extension: no fix", df(DEBIAN, "ADD data /srv/"), df(DEBIAN, "ADD data /srv/")],
  ["glob: no fix", df(DEBIAN, "ADD *.txt /srv/"), df(DEBIAN, "ADD *.txt /srv/")],
  [
    "ADD-only flag: no fix",
    df(DEBIAN, "ADD --checksum=sha256:abc x.py /x"),
    df(DEBIAN, "ADD --checksum=sha256:abc x.py /x"),
  ],
  ["zstd archive: no fix", df(DEBIAN, "ADD x.tar.zst /x"), df(DEBIAN, "ADD x.tar.zst /x")],
]);

cases("DL3025", [
  ["CMD", df(DEBIAN, "CMD node server.js"), df(DEBIAN, 'CMD ["node", "server.js"]')],
  [
    "ENTRYPOINT without CMD",
    df(DEBIAN, "ENTRYPOINT /docker-entrypoint.sh"),
    df(DEBIAN, 'ENTRYPOINT ["/docker-entrypoint.sh"]'),
  ],
  [
    "ENTRYPOINT with a CMD: its meaning would change",
    df(DEBIAN, "ENTRYPOINT /entry.sh", 'CMD ["x"]'),
    df(DEBIAN, "ENTRYPOINT /entry.sh", 'CMD ["x"]'),
  ],
  [
    "HEALTHCHECK CMD",
    df(DEBIAN, "HEALTHCHECK --interval=5s CMD /bin/check"),
    df(DEBIAN, 'HEALTHCHECK --interval=5s CMD ["/bin/check"]'),
  ],
  ["variables: no fix", df(DEBIAN, "CMD echo $HOME"), df(DEBIAN, "CMD echo $HOME")],
  ["operators: no fix", df(DEBIAN, "CMD a && b"), df(DEBIAN, "CMD a && b")],
  ["quotes: no fix", df(DEBIAN, 'CMD echo "x y"'), df(DEBIAN, 'CMD echo "x y"')],
  ["shell builtin: no fix", df(DEBIAN, "CMD exec nginx"), df(DEBIAN, "CMD exec nginx")],
  [
    "SHELL in the stage: no fix",
    df(DEBIAN, 'SHELL ["pwsh", "-c"]', "CMD run"),
    df(DEBIAN, 'SHELL ["pwsh", "-c"]', "CMD run"),
  ],
  ["continuation", df(DEBIAN, "CMD node \\", "    server.js"), df(DEBIAN, 'CMD ["node", "server.js"]')],
]);

cases("DL4000", [
  [
    "maintainer label",
    df(DEBIAN, "MAINTAINER Jane Doe <jane@example.com>"),
    df(DEBIAN, 'LABEL maintainer="Jane Doe <jane@example.com>"'),
  ],
  [
    "quotes and dollars escaped",
    df(DEBIAN, 'MAINTAINER "J" $X'),
    df(DEBIAN, 'LABEL maintainer="\\"J\\" \\$X"'),
  ],
  ["lower case", df("from debian", "maintainer jo"), df("from debian", 'label maintainer="jo"')],
]);

cases("DL4006", [
  [
    "bash on Debian, before the first piped RUN",
    df(DEBIAN, "RUN echo a", "RUN curl -s x | sh", "RUN b | c"),
    df(
      DEBIAN,
      "RUN echo a",
      'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
      "RUN curl -s x | sh",
      "RUN b | c",
    ),
  ],
  [
    "ash on Alpine",
    df("FROM alpine:3.20", "RUN a | b"),
    df("FROM alpine:3.20", 'SHELL ["/bin/ash", "-o", "pipefail", "-c"]', "RUN a | b"),
  ],
  ["unknown base: no fix", df("FROM scratch", "RUN a | b"), df("FROM scratch", "RUN a | b")],
  [
    "above the comments (pragmas) of the RUN",
    df(DEBIAN, "", "# fetch", "# hadolint ignore=DL3008", "RUN a | b"),
    df(
      DEBIAN,
      "",
      'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
      "# fetch",
      "# hadolint ignore=DL3008",
      "RUN a | b",
    ),
  ],
  [
    "existing bash SHELL gets -o pipefail",
    df(DEBIAN, 'SHELL ["/bin/bash", "-c"]', "RUN a | b"),
    df(DEBIAN, 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]', "RUN a | b"),
  ],
  [
    "per stage",
    df("FROM alpine:3.20", "RUN a | b", DEBIAN, "RUN c | d"),
    df(
      "FROM alpine:3.20",
      'SHELL ["/bin/ash", "-o", "pipefail", "-c"]',
      "RUN a | b",
      DEBIAN,
      'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
      "RUN c | d",
    ),
  ],
]);

cases("DL3009", [
  [
    "appends the cleanup to the RUN that installs",
    df(DEBIAN, "RUN apt-get update && apt-get install -y curl"),
    df(DEBIAN, "RUN apt-get update && apt-get install -y curl && \\", "    rm -rf /var/lib/apt/lists/*"),
  ],
  [
    "merges a separate update and install",
    df(DEBIAN, "RUN apt-get update", "RUN apt-get install -y curl"),
    df(
      DEBIAN,
      "RUN apt-get update && \\",
      "    apt-get install -y curl && \\",
      "    rm -rf /var/lib/apt/lists/*",
    ),
  ],
  [
    "another instruction in between: no fix",
    df(DEBIAN, "RUN apt-get update", "ENV X=1", "RUN apt-get install -y curl"),
    df(DEBIAN, "RUN apt-get update", "ENV X=1", "RUN apt-get install -y curl"),
  ],
  [
    "state that would leak into the next RUN: no fix",
    df(DEBIAN, "RUN cd /tmp && apt-get update", "RUN apt-get install -y ./x.deb"),
    df(DEBIAN, "RUN cd /tmp && apt-get update", "RUN apt-get install -y ./x.deb"),
  ],
  [
    "|| would bind differently once joined: no fix",
    df(DEBIAN, "RUN apt-get update || true", "RUN apt-get install -y x"),
    df(DEBIAN, "RUN apt-get update || true", "RUN apt-get install -y x"),
  ],
  [
    "--mount RUNs: no fix",
    df(DEBIAN, "RUN --mount=type=secret,id=k apt-get update", "RUN apt-get install -y x"),
    df(DEBIAN, "RUN --mount=type=secret,id=k apt-get update", "RUN apt-get install -y x"),
  ],
  [
    "comments between RUNs move into the continuation",
    df(DEBIAN, "RUN apt-get update", "# tools", "", "RUN apt-get install -y x"),
    df(
      DEBIAN,
      "RUN apt-get update && \\",
      "    # tools",
      "    apt-get install -y x && \\",
      "    rm -rf /var/lib/apt/lists/*",
    ),
  ],
  [
    "a pragma between RUNs: no fix",
    df(DEBIAN, "RUN apt-get update", "# hadolint ignore=DL3008", "RUN apt-get install -y x"),
    df(DEBIAN, "RUN apt-get update", "# hadolint ignore=DL3008", "RUN apt-get install -y x"),
  ],
]);

cases("DD002", [
  [
    "the seed's layers: update, install, cleanup",
    df(DEBIAN, "RUN apt-get update", "RUN apt-get install -y curl", "RUN rm -rf /var/lib/apt/lists/*"),
    df(
      DEBIAN,
      "RUN apt-get update && \\",
      "    apt-get install -y curl && \\",
      "    rm -rf /var/lib/apt/lists/*",
    ),
  ],
  [
    "keeps each RUN's own continuation lines",
    df(
      DEBIAN,
      "RUN apt-get update",
      "RUN apt-get install -y \\",
      "      curl \\",
      "      git",
      "RUN rm -rf /var/lib/apt/lists/*",
    ),
    df(
      DEBIAN,
      "RUN apt-get update && \\",
      "    apt-get install -y \\",
      "      curl \\",
      "      git && \\",
      "    rm -rf /var/lib/apt/lists/*",
    ),
  ],
  [
    "downloads",
    df(
      DEBIAN,
      "RUN curl -fsSLo /tmp/a.tar.gz https://x/a.tar.gz",
      "RUN tar -xzf /tmp/a.tar.gz -C /opt",
      "RUN rm /tmp/a.tar.gz",
    ),
    df(
      DEBIAN,
      "RUN curl -fsSLo /tmp/a.tar.gz https://x/a.tar.gz && \\",
      "    tar -xzf /tmp/a.tar.gz -C /opt && \\",
      "    rm /tmp/a.tar.gz",
    ),
  ],
  [
    "backtick escape character",
    df(
      "# escape=`",
      DEBIAN,
      "RUN apt-get update",
      "RUN apt-get install -y curl",
      "RUN rm -rf /var/lib/apt/lists/*",
    ),
    df(
      "# escape=`",
      DEBIAN,
      "RUN apt-get update && `",
      "    apt-get install -y curl && `",
      "    rm -rf /var/lib/apt/lists/*",
    ),
  ],
  [
    "indented RUNs keep their indentation",
    df(DEBIAN, "  RUN apt-get update", "  RUN apt-get install -y curl", "  RUN rm -rf /var/lib/apt/lists/*"),
    df(
      DEBIAN,
      "  RUN apt-get update && \\",
      "      apt-get install -y curl && \\",
      "      rm -rf /var/lib/apt/lists/*",
    ),
  ],
  [
    "a COPY in between: no fix",
    df(DEBIAN, "RUN apt-get update", "COPY x /x", "RUN rm -rf /var/lib/apt/lists/*"),
    df(DEBIAN, "RUN apt-get update", "COPY x /x", "RUN rm -rf /var/lib/apt/lists/*"),
  ],
]);

cases("DD101", [
  [
    "upper-case majority",
    df("FROM debian", "run echo", "RUN echo"),
    df("FROM debian", "RUN echo", "RUN echo"),
  ],
  [
    "lower-case majority",
    df("from debian", "run echo", "RUN echo"),
    df("from debian", "run echo", "run echo"),
  ],
]);

cases("DD104", [["protocol", df(DEBIAN, "EXPOSE 80/TCP 53/Udp"), df(DEBIAN, "EXPOSE 80/tcp 53/udp")]]);

cases("DD105", [
  ["AS after FROM", df("FROM debian as build"), df("FROM debian AS build")],
  ["as after from", df("from debian AS build"), df("from debian as build")],
]);

cases("DD109", [
  ["ENV", df(DEBIAN, "ENV LANG C.UTF-8"), df(DEBIAN, "ENV LANG=C.UTF-8")],
  ["value with spaces", df(DEBIAN, "ENV OPTS -Xmx1g -Xms1g"), df(DEBIAN, 'ENV OPTS="-Xmx1g -Xms1g"')],
  ["LABEL", df(DEBIAN, "LABEL owner team a"), df(DEBIAN, 'LABEL owner="team a"')],
  ["variables still expand", df(DEBIAN, "ENV P $HOME/bin"), df(DEBIAN, "ENV P=$HOME/bin")],
  ["quotes: no fix", df(DEBIAN, "ENV A 'x y'"), df(DEBIAN, "ENV A 'x y'")],
]);

cases("DD110", [
  [
    "removes empty lines in a continuation",
    df(DEBIAN, "RUN echo a \\", "", "    && echo b \\", "  ", "    && echo c"),
    df(DEBIAN, "RUN echo a \\", "    && echo b \\", "    && echo c"),
  ],
]);

cases("DD112", [
  [
    "stage name and its references",
    df(
      "FROM debian AS Build",
      "FROM Build AS next",
      "COPY --from=Build /a /b",
      "RUN --mount=type=bind,from=Build,target=/m true",
    ),
    df(
      "FROM debian AS build",
      "FROM build AS next",
      "COPY --from=build /a /b",
      "RUN --mount=type=bind,from=build,target=/m true",
    ),
  ],
  [
    "not inside a RUN script",
    df("FROM debian AS Build", "RUN tool --from=Build"),
    df("FROM debian AS build", "RUN tool --from=Build"),
  ],
]);
