import type { Dockerfile, Instruction } from "../../dockerfile/parse.ts";
import { basename, parseShell, type ShellCommand } from "../../dockerfile/shell.ts";
import { stageChain } from "../support/stages.ts";
import type { Rule, RuleHit } from "../types.ts";

/**
 * DD007: a shell heredoc RUN body with several commands and no errexit. The body runs like a
 * script fed to `sh`: a failing line does not stop it, and only the last command's status
 * decides whether the build fails (moby/buildkit#2722, #4195; docs/rules/DD007.md).
 */
export const rule: Rule = {
  code: "DD007",
  severity: "warning",
  message:
    "This heredoc RUN runs several commands without `set -e`: a failing line does not fail the build. Start the body with `set -e` (or `set -eux`)",
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    for (const outer of dockerfile.instructions) {
      const run = outer.onbuild ?? outer;
      if (run.keyword !== "RUN" || run.json || run.heredocs.length === 0) continue;
      const body = shellBody(run, shellAt(dockerfile, outer));
      if (body === null) continue;
      if (!losesFailures(body)) continue;
      hits.push({
        line: outer.line,
        message:
          "This heredoc RUN runs several commands without `set -e`: a failing line does not fail the build " +
          "(only the last command's status counts). Start the body with `set -e` (or `set -eux`)",
      });
    }
    return hits;
  },
};

const SHELLS = new Set(["sh", "bash", "dash", "ash", "ksh", "mksh", "zsh", "busybox"]);

/**
 * The SHELL in effect for a RUN: the last SHELL before it in its stage or in the stages that
 * stage is built FROM (SHELL is image config and is inherited); default `/bin/sh -c`.
 */
function shellAt(df: Dockerfile, instruction: Instruction): string[] {
  let shell = ["/bin/sh", "-c"];
  const stage = df.stages[instruction.stage];
  if (!stage) return shell;
  for (const s of stageChain(df, stage).reverse()) {
    for (const i of s.instructions) {
      if (i === instruction) return shell;
      if (i.keyword === "SHELL" && i.json && i.json.length > 0) shell = i.json;
    }
  }
  return shell;
}

/**
 * The heredoc body when a POSIX-like shell runs it without errexit, else null: `RUN <<EOF`
 * (run by SHELL, or by the body's shebang) and `RUN sh <<EOF` / `RUN <<EOF bash`.
 */
function shellBody(run: Instruction, shell: string[]): string | null {
  const heredoc = run.heredocs[0]!;
  const body = heredoc.body;
  const commands = parseShell(run.args);
  const firstLine = body.split("\n", 1)[0]!.trim();
  if (commands.length === 0) {
    // `RUN <<EOF`: the body is the script. A shebang picks the interpreter.
    if (firstLine.startsWith("#!")) return shebangRunsPlainShell(firstLine) ? body : null;
    if (!SHELLS.has(basename(shell[0] ?? "")) || enablesErrexit(shell.slice(1))) return null;
    return body;
  }
  if (commands.length !== 1) return null;
  // `RUN bash <<EOF` / `RUN <<EOF sh -x`: the shell reads the body on stdin.
  const command = commands[0]!;
  if (!SHELLS.has(basename(command.name))) return null;
  if (command.args.some((a) => !a.startsWith("-") && a !== "pipefail" && a !== "errexit")) return null;
  if (enablesErrexit(command.args)) return null;
  return body;
}

/** `#!/bin/sh`, `#!/usr/bin/env bash` without `-e`: true; `#!/bin/bash -e` or python: false. */
function shebangRunsPlainShell(line: string): boolean {
  const words = line.slice(2).trim().split(/\s+/);
  let k = 0;
  if (basename(words[0] ?? "") === "env") {
    k = 1;
    while (words[k]?.startsWith("-")) k++;
  }
  if (!SHELLS.has(basename(words[k] ?? ""))) return false;
  return !enablesErrexit(words.slice(k + 1));
}

/** `-e`, `-eux`, `-o errexit`, `-euo pipefail` among shell or `set` options. */
function enablesErrexit(args: readonly string[]): boolean {
  for (let k = 0; k < args.length; k++) {
    const arg = args[k]!;
    if (arg === "-o" && args[k + 1] === "errexit") return true;
    if (/^-[A-Za-z]+$/.test(arg) && arg.includes("e")) return true;
  }
  return false;
}

/**
 * True when a command's failure can be lost: it runs unconditionally before a later command
 * (separated by a newline, `;` or `&`) while errexit is off. Conditions of if/while/until are
 * tested on purpose and do not count.
 */
function losesFailures(body: string): boolean {
  const commands: ShellCommand[] = parseShell(body);
  for (let k = 0; k < commands.length - 1; k++) {
    const command = commands[k]!;
    if (basename(command.name) === "set" && enablesErrexit(command.args)) return false;
    if (command.after !== "\n" && command.after !== ";" && command.after !== "&") continue;
    if (!isCondition(body, commands, k)) return true;
  }
  return false;
}

/** Is command k (or the and-or list it ends) the condition of an if/elif/while/until? */
function isCondition(body: string, commands: ShellCommand[], k: number): boolean {
  let head = k;
  while (head > 0 && ["&&", "||", "|"].includes(commands[head]!.before)) head--;
  const before = body.slice(0, commands[head]!.start);
  return /(^|[\s;&|()])(if|elif|while|until)\s+(!\s+)?$/.test(before);
}
