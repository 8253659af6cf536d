import { describe, expect, it } from "vitest";
import { argsWithoutFlags, commandsNamed, hasFlag, parseShell } from "./shell.ts";

const names = (script: string) => parseShell(script).map((c) => c.name);

describe("parseShell", () => {
  it("splits on && || ; | & and newlines, recording the joining operators", () => {
    const cmds = parseShell("apt-get update && apt-get install -y curl | tee log; echo done & wait");
    expect(cmds.map((c) => [c.name, c.before, c.after])).toEqual([
      ["apt-get", "", "&&"],
      ["apt-get", "&&", "|"],
      ["tee", "|", ";"],
      ["echo", ";", "&"],
      ["wait", "&", ""],
    ]);
  });

  it("unquotes words and keeps $(...) and backticks inside one word", () => {
    const [cmd] = parseShell(`echo "a b" 'c d' e\\ f "$(date +%s)" \`id -u\``);
    expect(cmd!.args).toEqual(["a b", "c d", "e f", "$(date +%s)", "`id -u`"]);
  });

  it("drops redirections and their targets from the arguments", () => {
    const [cmd] = parseShell("wget -O - http://x 2>/dev/null >> out.txt < in");
    expect(cmd!.args).toEqual(["-O", "-", "http://x"]);
  });

  it("steps over compound-command keywords and assignments", () => {
    expect(names("if [ -f x ]; then rm x; else touch x; fi")).toEqual(["[", "rm", "touch"]);
    expect(names("while read l; do echo $l; done")).toEqual(["read", "echo"]);
    const [cmd] = parseShell("DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata");
    expect(cmd!.assignments).toEqual(["DEBIAN_FRONTEND=noninteractive"]);
    expect(cmd!.name).toBe("apt-get");
  });

  it("skips comments and heredoc bodies", () => {
    expect(names("cat <<EOF > /x\nrm -rf /\nEOF\necho ok # rm here\n")).toEqual(["cat", "echo"]);
    expect(names("cat <<-'X'\n\tsudo\n\tX\nls")).toEqual(["cat", "ls"]);
  });

  it("joins backslash-newline continuations", () => {
    expect(parseShell("apt-get install \\\n  -y curl")[0]!.args).toEqual(["install", "-y", "curl"]);
  });

  it("treats subshells and groups as separators", () => {
    expect(names("(cd /x && make) || { echo fail; exit 1; }")).toEqual(["cd", "make", "echo", "exit"]);
  });
});

describe("flag helpers", () => {
  const [cmd] = parseShell("apt-get -qy --no-install-recommends install --target-release=bookworm curl");
  it("finds short flags inside clusters and long flags with values", () => {
    expect(hasFlag(cmd!, "y")).toBe(true);
    expect(hasFlag(cmd!, "no-install-recommends")).toBe(true);
    expect(hasFlag(cmd!, "target-release")).toBe(true);
    expect(hasFlag(cmd!, "f")).toBe(false);
  });
  it("lists non-flag arguments and filters by command basename", () => {
    expect(argsWithoutFlags(cmd!)).toEqual(["install", "curl"]);
    expect(commandsNamed(parseShell("/usr/bin/pip install x && npm i"), "pip")).toHaveLength(1);
  });
});
