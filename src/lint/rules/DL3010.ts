import { basename, type ShellCommand } from "../../dockerfile/shell.ts";
import { readCliArgs } from "../support/commands.ts";
import { copyOperands, isArchive, pathBasename } from "../support/copy-args.ts";
import type { Rule, RuleHit } from "../types.ts";

const DECOMPRESSORS = new Set([
  "unzip",
  "gunzip",
  "bunzip2",
  "unlzma",
  "unxz",
  "zgz",
  "uncompress",
  "zcat",
  "gzcat",
]);

/** `tar -x`, `tar --extract`/`--get`, or old-style `tar xzf`. */
function isTarExtract(cmd: ShellCommand): boolean {
  if (basename(cmd.name) !== "tar") return false;
  const [first] = cmd.args;
  if (first !== undefined && /^[A-Za-z]*x[A-Za-z]*$/.test(first)) return true;
  return cmd.args.some(
    (arg) => arg === "--extract" || arg === "--get" || (/^-[^-]/.test(arg) && arg.includes("x")),
  );
}

function extractedNames(cmd: ShellCommand): string[] {
  if (!isTarExtract(cmd) && !DECOMPRESSORS.has(basename(cmd.name))) return [];
  return readCliArgs(cmd.args).positional.map(pathBasename);
}

/**
 * An archive COPY'd in and then extracted by a RUN of the same stage (hadolint DL3010):
 * `ADD` extracts local archives itself. Reported at the COPY. Archives are matched by file
 * name: the destination's when it names an archive, else the sources'. Unlike hadolint,
 * which only reports the last stage, every stage is checked.
 */
export const rule: Rule = {
  code: "DL3010",
  severity: "info",
  message: "Use `ADD` for extracting archives into an image",
  check({ dockerfile, runs }) {
    const hits: RuleHit[] = [];
    let copied: { line: number; name: string }[] = [];
    const reported = new Set<number>();
    let runOf: Map<unknown, (typeof runs)[number]> | null = null;
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword === "FROM") copied = [];
      if (instruction.keyword === "COPY" && !instruction.flags.some((f) => f.name === "from")) {
        const operands = copyOperands(instruction, dockerfile.escape);
        if (!operands) continue;
        if (isArchive(operands.dest))
          copied.push({ line: instruction.line, name: pathBasename(operands.dest) });
        else {
          for (const source of operands.sources)
            if (isArchive(source)) copied.push({ line: instruction.line, name: pathBasename(source) });
        }
      }
      // Most files copy no archive: their RUNs need no look.
      if (instruction.keyword !== "RUN" || copied.length === 0) continue;
      runOf ??= new Map(runs.map((run) => [run.outer, run]));
      const run = runOf.get(instruction);
      const extracted = new Set(run?.commands.flatMap(extractedNames) ?? []);
      for (const archive of copied) {
        if (extracted.has(archive.name) && !reported.has(archive.line)) {
          reported.add(archive.line);
          hits.push({ line: archive.line });
        }
      }
    }
    return hits;
  },
};
