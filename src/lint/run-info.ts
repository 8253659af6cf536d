import { type Dockerfile, runScript } from "../dockerfile/parse.ts";
import { withMemoSlot } from "../dockerfile/shapes.ts";
import { parseShell, type ShellCommand } from "../dockerfile/shell.ts";
import type { RunInfo } from "./types.ts";

/** Every RUN and ONBUILD RUN with its script parsed once, shared by all rules. */
export function collectRuns(df: Dockerfile): RunInfo[] {
  const runs: RunInfo[] = withMemoSlot([]);
  for (const outer of df.instructions) {
    const instruction = outer.onbuild ?? outer;
    if (instruction.keyword !== "RUN") continue;
    const script = runScript(instruction);
    const commands = instruction.json ? [execFormCommand(instruction.json)] : parseShell(script);
    runs.push({ instruction, outer, script, commands });
  }
  return runs;
}

/** Exec form runs one program with literal arguments: no shell, no operators. */
function execFormCommand(argv: string[]): ShellCommand {
  return withMemoSlot({
    name: argv[0] ?? "",
    args: withMemoSlot(argv.slice(1)),
    rawArgs: argv.slice(1),
    assignments: [],
    start: 0,
    end: 0,
    before: "",
    after: "",
  });
}
