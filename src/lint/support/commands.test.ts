import { describe, expect, it } from "vitest";
import { parseShell } from "../../dockerfile/shell.ts";
import { invocation, readCliArgs, subcommandIndex } from "./commands.ts";

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
});
