/**
 * The real implementations, run on this machine, as oracles for differential tests: each runs
 * many comparisons in one process (or one shell loop) and returns -1, 0 or 1 per pair.
 */
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import type { Ordering } from "../types.ts";
import { loadVectors } from "./vectors.ts";

export type Pair = [string, string];

/** Fails (never skips) with a clear message when a tool the test needs is not installed. */
export function requireTool(command: string, args: string[], install: string): void {
  const result = spawnSync(command, args, { encoding: "utf8" });
  if (result.error || result.status !== 0) {
    throw new Error(
      `${command} is needed for this differential test and is not usable here (${install}): ${result.error?.message ?? result.stderr}`,
    );
  }
}

/** Runs a command; a non-zero exit, or any stderr output when `quiet`, is an error. */
function run(command: string, args: string[], input?: string, quiet = false): string {
  const result = spawnSync(command, args, { encoding: "utf8", input, maxBuffer: 64 * 1024 * 1024 });
  if (result.error || result.status !== 0 || (quiet && result.stderr.trim() !== "")) {
    throw new Error(
      `${command} failed (exit ${result.status}): ${result.error?.message ?? ""}${result.stderr}`,
    );
  }
  return result.stdout;
}

function parseOrderings(output: string, count: number, what: string): Ordering[] {
  const lines = output.trim().split("\n");
  if (lines.length !== count)
    throw new Error(`${what} answered ${lines.length} lines for ${count} pairs:\n${output.slice(0, 2000)}`);
  return lines.map((line) => {
    const value = Number(line.trim());
    if (value !== -1 && value !== 0 && value !== 1)
      throw new Error(`${what} answered ${JSON.stringify(line)}`);
    return value;
  });
}

/** `dpkg --compare-versions A lt B`, then `eq`, in one shell loop. */
export function dpkgCompare(pairs: Pair[]): Ordering[] {
  for (const version of pairs.flat()) {
    if (/\s/.test(version)) throw new Error(`cannot pass ${JSON.stringify(version)} through the shell loop`);
  }
  const script = `while IFS="$(printf '\\t')" read -r a b; do
  if dpkg --compare-versions "$a" lt "$b"; then echo -1
  elif dpkg --compare-versions "$a" eq "$b"; then echo 0
  else echo 1; fi
done`;
  const input = pairs.map(([a, b]) => `${a}\t${b}\n`).join("");
  // dpkg warns on stderr about versions it half-accepts; those must not reach the oracle.
  return parseOrderings(run("sh", ["-c", script], input, true), pairs.length, "dpkg --compare-versions");
}

/** rpm's Lua `rpm.vercmp` (parseEVR + rpmverCmp): the pairs go in a few `rpm --eval` calls. */
export function rpmCompare(pairs: Pair[]): Ordering[] {
  for (const version of pairs.flat()) {
    if (/["\\%{}\n]/.test(version) || version === "")
      throw new Error(`cannot pass ${JSON.stringify(version)} to rpm --eval`);
  }
  // One argument may not exceed 128 KiB (Linux MAX_ARG_STRLEN): cut the table into chunks.
  const results: Ordering[] = [];
  for (let start = 0; start < pairs.length; ) {
    let end = start;
    let size = 0;
    while (end < pairs.length && size < 64 * 1024) size += pairs[end++]!.join("").length + 8;
    const chunk = pairs.slice(start, end);
    const table = chunk.map(([a, b]) => `{"${a}","${b}"}`).join(",");
    const lua = `local p = {${table}} local out = {} for i, x in ipairs(p) do out[i] = rpm.vercmp(x[1], x[2]) end print(table.concat(out, "\\n"))`;
    results.push(...parseOrderings(run("rpm", ["--eval", `%{lua: ${lua}}`]), chunk.length, "rpm.vercmp"));
    start = end;
  }
  return results;
}

/** `apk version -t A B` in one container of `image`; apk answers <, = or >. */
export function apkCompare(pairs: Pair[], image: string): Ordering[] {
  const input = pairs.map(([a, b]) => `${a} ${b}\n`).join("");
  const output = run(
    "docker",
    ["run", "--rm", "-i", image, "sh", "-c", 'while read a b; do apk version -t "$a" "$b"; done'],
    input,
  );
  const symbols = output.trim().split("\n");
  if (symbols.length !== pairs.length)
    throw new Error(`apk answered ${symbols.length} lines for ${pairs.length} pairs`);
  return symbols.map((symbol) => {
    const value = { "<": -1, "=": 0, ">": 1 }[symbol.trim()];
    if (value === undefined) throw new Error(`apk version -t answered ${JSON.stringify(symbol)}`);
    return value as Ordering;
  });
}

/**
 * Pairs for a differential run, fixed by a seed: half independent versions, half a version and a
 * close variant of it (a changed digit, a suffix added or dropped), where comparators disagree.
 */
export function samplePairs(
  versions: fc.Arbitrary<string>,
  count: number,
  seed: number,
  isValid: (version: string) => boolean,
): Pair[] {
  const close = versions.chain((a) =>
    fc.oneof(
      fc.constant<Pair>([a, a]),
      versions.map(
        (b): Pair => [a, a.slice(0, Math.max(1, a.length - b.length)) + b.slice(Math.min(b.length, 1))],
      ),
      fc.nat({ max: Math.max(0, a.length - 1) }).map((i): Pair => [a, a.slice(0, i)]),
      fc.nat({ max: Math.max(0, a.length - 1) }).map((i): Pair => [a, a.slice(0, i) + a.slice(i + 1)]),
    ),
  );
  // Variants can be malformed (a cut-off epoch, an empty revision): upstream tools reject those.
  const valid = fc.oneof(fc.tuple(versions, versions), close).filter(([a, b]) => isValid(a) && isValid(b));
  return fc.sample(valid, { numRuns: count, seed });
}

/** The pairs on which `ours` and the oracle disagree, as readable lines. */
export function disagreements(
  pairs: Pair[],
  ours: (a: string, b: string) => Ordering,
  oracle: Ordering[],
): string[] {
  return pairs.flatMap(([a, b], i) => {
    const mine = ours(a, b);
    return mine === oracle[i]
      ? []
      : [`${JSON.stringify(a)} vs ${JSON.stringify(b)}: ours ${mine}, upstream ${oracle[i]}`];
  });
}

/** Every pair a scheme's vector file compares (comparisons, equal pairs, ordered lists), for an oracle. */
export function loadPairsFromVectors(scheme: string, accept: (version: string) => boolean): Pair[] {
  const pairs: Pair[] = [];
  for (const set of loadVectors(scheme).sets) {
    for (const [a, b] of set.comparisons ?? []) pairs.push([a, b]);
    for (const [a, b] of set.equal ?? []) pairs.push([a, b]);
    for (const list of [...(set.ordered ?? []), ...(set.ranked ?? [])]) {
      const flat = list.flat();
      for (let i = 0; i + 1 < flat.length; i++) pairs.push([flat[i]!, flat[i + 1]!]);
    }
  }
  return pairs.filter(([a, b]) => accept(a) && accept(b));
}
