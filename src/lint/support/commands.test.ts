import { describe, expect, it } from "vitest";
import { parseDockerfile } from "../../dockerfile/parse.ts";
import { basename, parseShell } from "../../dockerfile/shell.ts";
import { collectRuns } from "../run-info.ts";
import { invocation, readCliArgs, runsAnyOf, runsWhere, subcommandIndex } from "./commands.ts";

describe("command reading", () => {
  it("reads python -m pip as pip and getopt-style flags", () => {
    const [command] = parseShell("python3 -m pip install -r req.txt -qe . --no-cache-dir");
    const inv = invocation(command!);
    expect(inv.program).toBe("pip");
    const parsed = readCliArgs(inv.args, ["r", "e"]);
    expect(parsed.positional).toEqual(["install"]);
    expect(parsed.flags).toEqual([
      { name: "r", value: "req.txt" },
      { name: "q", value: null },
      { name: "e", value: "." },
      { name: "no-cache-dir", value: null },
    ]);
  });

  it("gives `-q=2` its value and skips the values of value-taking flags", () => {
    expect(readCliArgs(["-q=2", "install"]).flags).toEqual([{ name: "q", value: "2" }]);
    const parsed = readCliArgs(["-yo", "Dpkg::Options::=--force-confnew", "install", "curl"], ["o"]);
    expect(parsed.positional).toEqual(["install", "curl"]);
    expect(parsed.positionalIndexes).toEqual([2, 3]);
  });

  it("finds the subcommand behind options and their values", () => {
    const [apt] = parseShell("apt-get -o Acquire::Retries=3 -yo X=Y install curl");
    expect(subcommandIndex(apt!, ["o"])).toBe(4);
    const [apk] = parseShell("apk -- add curl");
    expect(subcommandIndex(apk!)).toBe(1);
    const [bare] = parseShell("apk --no-cache");
    expect(subcommandIndex(bare!)).toBe(-1);
  });

  it("gives the same hits when it asks only the commands of the given programs", () => {
    const runs = collectRuns(
      parseDockerfile(
        [
          "FROM debian",
          "RUN microdnf install a && cd /x && dnf install b",
          "RUN cd /y",
          "RUN echo hi | /usr/bin/dnf install c",
          "RUN apt-get update",
        ].join("\n"),
      ),
    );
    const installs = (cmd: { name: string; args: string[] }) =>
      ["dnf", "microdnf"].includes(basename(cmd.name)) && cmd.args[0] === "install";
    expect(runsWhere(runs, installs, ["dnf", "microdnf"])).toEqual(runsWhere(runs, installs));
    expect(runsWhere(runs, installs, ["dnf", "microdnf"])).toEqual([{ line: 2 }, { line: 4 }]);
    const asked: string[] = [];
    runsWhere(
      runs,
      (cmd) => {
        asked.push(cmd.args.join(" "));
        return false;
      },
      new Set(["microdnf", "dnf"]),
    );
    expect(asked).toEqual(["install a", "install b", "install c"]);
    expect(runsWhere(runs, () => true, ["yum"])).toEqual([]);
    expect(runsAnyOf(runs, ["yum", "cd"])).toBe(true);
    expect(runsAnyOf(runs, ["yum"])).toBe(false);
  });
});
