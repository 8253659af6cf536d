import { describe, expect, it } from "vitest";
import { parseShell } from "../../dockerfile/shell.ts";
import { invocation, readCliArgs } from "./commands.ts";

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
});
