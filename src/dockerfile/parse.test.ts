import { DockerfileParser } from "dockerfile-ast";
import { describe, expect, it } from "vitest";
import { findHeredocMarkers, parseDockerfile, runScript } from "./parse.ts";

describe("parseDockerfile", () => {
  it("reads instructions, flags, JSON form and stages", () => {
    const df = parseDockerfile(
      'FROM --platform=$BUILDPLATFORM golang:1.22 AS Build\nRUN --mount=type=cache,target=/root/.cache go build\nFROM scratch\nCOPY --from=build /app /app\nCMD ["/app", "serve"]\n',
    );
    expect(df.instructions.map((i) => i.keyword)).toEqual(["FROM", "RUN", "FROM", "COPY", "CMD"]);
    expect(df.instructions[0]!.flags).toEqual([{ name: "platform", value: "$BUILDPLATFORM" }]);
    expect(df.stages.map((s) => s.name)).toEqual(["build", null]);
    expect(df.instructions[4]!.json).toEqual(["/app", "serve"]);
    expect(df.instructions[3]!.stage).toBe(1);
    expect(df.errors).toEqual([]);
  });

  it("accepts any flag, known or not (never a syntax error)", () => {
    const df = parseDockerfile(
      "FROM alpine:3.20\nADD --keep-git-dir=true --unpack --future-flag=x src /dst\n",
    );
    expect(df.errors).toEqual([]);
    expect(df.instructions[1]!.flags.map((f) => f.name)).toEqual(["keep-git-dir", "unpack", "future-flag"]);
    expect(df.instructions[1]!.args).toBe("src /dst");
  });

  it("joins continuations and skips comment and empty lines inside them", () => {
    const df = parseDockerfile(
      "FROM a:1\nRUN apt-get update \\\n  # why\n\n  && apt-get install -y curl\nUSER 1\n",
    );
    const run = df.instructions[1]!;
    expect(run.line).toBe(2);
    expect(run.endLine).toBe(5);
    expect(run.args).toBe("apt-get update   && apt-get install -y curl");
    expect(run.emptyContinuationLines).toEqual([4]);
    expect(df.comments).toEqual([{ line: 3, text: "why" }]);
    expect(df.instructions[2]!.line).toBe(6);
  });

  it("ends an instruction whose continuation runs into only comments and empty lines at the end of the file", () => {
    for (const tail of ["# c\n", "# c", "\n\n", "# c\n\n# d\n"]) {
      const df = parseDockerfile(`FROM a\nRUN a \\\n${tail}`);
      expect(df.errors).toEqual([]);
      const run = df.instructions[1]!;
      expect(run.args).toBe("a");
      expect(run.endLine).toBe(df.lines.length);
      expect(df.source.slice(run.start, run.end)).toBe(df.lines.slice(1).join("\n"));
      expect(df.comments.length).toBe((tail.match(/#/g) ?? []).length);
    }
  });

  it("honours the escape directive (backtick) and CRLF", () => {
    const df = parseDockerfile(
      "# escape=`\r\nFROM mcr.microsoft.com/windows:ltsc2022\r\nRUN dir `\r\n  C:\\\r\nWORKDIR C:\\app\r\n",
    );
    expect(df.crlf).toBe(true);
    expect(df.escape).toBe("`");
    expect(df.instructions.map((i) => i.keyword)).toEqual(["FROM", "RUN", "WORKDIR"]);
    expect(df.instructions[1]!.args).toBe("dir   C:\\");
  });

  it("reads syntax and check directives only at the top", () => {
    const df = parseDockerfile(
      "# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended\nFROM a:1\n# escape=`\n",
    );
    expect(df.directives.map((d) => [d.name, d.value])).toEqual([
      ["syntax", "docker/dockerfile:1"],
      ["check", "skip=JSONArgsRecommended"],
    ]);
    expect(df.escape).toBe("\\");
  });

  it("parses `cat << 'EOF' > file` as one instruction (dockerfile-ast#120)", () => {
    const df = parseDockerfile("FROM a:1\nRUN cat << 'EOF' > /etc/x.conf\nhello $NAME\nEOF\nRUN echo next\n");
    expect(df.instructions.map((i) => i.keyword)).toEqual(["FROM", "RUN", "RUN"]);
    const run = df.instructions[1]!;
    expect(run.heredocs).toEqual([
      { name: "EOF", stripTabs: false, quoted: true, body: "hello $NAME\n", line: 3 },
    ]);
    expect(run.endLine).toBe(4);
    expect(runScript(run)).toBe("cat << 'EOF' > /etc/x.conf\nhello $NAME\nEOF\n");
  });

  it("reads several heredocs, <<- tab stripping and COPY heredocs", () => {
    const df = parseDockerfile(
      "FROM a:1\nRUN <<-A cat - <<B\n\tone\n\tA\ntwo\nB\nCOPY <<EOF /x\ndata\nEOF\n",
    );
    const run = df.instructions[1]!;
    expect(run.heredocs.map((h) => [h.name, h.body])).toEqual([
      ["A", "one\n"],
      ["B", "two\n"],
    ]);
    expect(df.instructions[2]!.heredocs[0]!.body).toBe("data\n");
    expect(df.instructions).toHaveLength(3);
  });

  it("uses the heredoc body as the script of RUN <<EOF", () => {
    const df = parseDockerfile("FROM a:1\nRUN <<EOF\nset -e\napt-get update\nEOF\n");
    expect(runScript(df.instructions[1]!)).toBe("set -e\napt-get update\n");
  });

  it("reports an unterminated heredoc and an unknown instruction as errors", () => {
    expect(parseDockerfile("FROM a:1\nRUN <<EOF\necho\n").errors[0]!.message).toMatch(/unterminated heredoc/);
    expect(parseDockerfile("FROM a:1\nFORM b\n").errors[0]).toMatchObject({
      line: 2,
      message: "unknown instruction: FORM",
    });
  });

  it("keeps ONBUILD's wrapped instruction", () => {
    const df = parseDockerfile("FROM a:1\nONBUILD RUN apt-get install -y x\n");
    expect(df.instructions[1]!.onbuild).toMatchObject({ keyword: "RUN", args: "apt-get install -y x" });
  });

  it("ignores here-strings and quoted << when looking for heredocs", () => {
    expect(findHeredocMarkers("cat <<< word")).toEqual([]);
    expect(findHeredocMarkers("echo '<<EOF' \"<<X\"")).toEqual([]);
    expect(findHeredocMarkers('python3 <<"PY"')).toEqual([{ name: "PY", stripTabs: false, quoted: true }]);
  });
});

/**
 * Differential test against dockerfile-ast on Dockerfiles without heredocs (where it has known
 * bugs): same instruction keywords and start/end lines.
 */
describe("parseDockerfile agrees with dockerfile-ast", () => {
  const samples = [
    'FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci \\\n  && npm cache clean --force\nCOPY . .\nCMD ["node", "index.js"]\n',
    "ARG V=3\nFROM python:${V}-slim AS base\n# comment\nENV A=1 \\\n    B=2\nRUN pip install \\\n\n  flask\nEXPOSE 80/tcp 443\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1\n",
    '# escape=`\nFROM mcr.microsoft.com/windows:ltsc2022\nRUN powershell `\n  -Command Write-Host hi\nSHELL ["powershell", "-Command"]\n',
    'FROM alpine:3.20\nONBUILD RUN echo hi\nLABEL a=b c="d e"\nSTOPSIGNAL SIGTERM\nVOLUME /data\nUSER 1000:1000\nENTRYPOINT exec /bin/sh\n',
  ];
  for (const [index, text] of samples.entries()) {
    it(`sample ${index + 1}`, () => {
      const ours = parseDockerfile(text).instructions.map((i) => [i.keyword, i.line, i.endLine]);
      const theirs = DockerfileParser.parse(text)
        .getInstructions()
        .map((i) => [i.getKeyword(), i.getRange().start.line + 1, i.getRange().end.line + 1]);
      expect(ours).toEqual(theirs);
    });
  }
});
