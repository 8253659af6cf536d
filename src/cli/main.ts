import { Command, CommanderError } from "@commander-js/extra-typings";
import { DrydockError } from "../errors.ts";
import { VERSION } from "../version.ts";
import type { CliIO } from "./io.ts";

export type { CliIO } from "./io.ts";

type Register = (program: Command, io: CliIO, setExit: (code: number) => void) => void;

/** Each command's definitions (options, help), loaded by name; the order is `--help`'s. */
const COMMANDS: Record<string, () => Promise<Register>> = {
  lint: async () => (await import("./commands/lint.ts")).registerLint,
  inspect: async () => (await import("./commands/inspect.ts")).registerInspect,
  audit: async () => (await import("./commands/audit.ts")).registerAudit,
  rules: async () => (await import("./commands/rules.ts")).registerRules,
  advise: async () => (await import("./commands/advise.ts")).registerAdvise,
  init: async () => (await import("./commands/init.ts")).registerInit,
  check: async () => (await import("./commands/check.ts")).registerCheck,
  sbom: async () => (await import("./commands/sbom.ts")).registerSbom,
  scan: async () => (await import("./commands/scan.ts")).registerScan,
  db: async () => (await import("./commands/db.ts")).registerDb,
};

/**
 * The program with the command that argv names, or with every command when it names none
 * (`--help`, `--version`, `help`, a typo that commander answers with suggestions): loading one
 * command's definitions instead of ten is a tenth of drydock's start-up.
 */
async function buildProgram(io: CliIO, setExit: (code: number) => void): Promise<Command> {
  const program = new Command()
    .name("drydock")
    .description("Choose, build and maintain container images.")
    .version(VERSION, "-V, --version", "print drydock's version")
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Parse errors on one line, in the same shape as DrydockError messages.
      outputError: (s, write) =>
        write(`drydock: ${s.trim().replace(/^error: /, "")} (run with --help for usage)\n`),
    })
    .exitOverride();

  const named = io.argv[0];
  const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  const registers = await Promise.all(wanted.map((name) => COMMANDS[name]!()));
  for (const register of registers) register(program, io, setExit);
  return program;
}

/** Runs the CLI and returns the exit code. Never throws. */
export async function run(io: CliIO): Promise<number> {
  let exitCode = 0;
  try {
    const program = await buildProgram(io, (code) => {
      exitCode = code;
    });
    await program.parseAsync(io.argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; every parse error is a usage error (2).
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof DrydockError) {
      io.stderr.write(`drydock: ${error.message}${error.hint ? ` (${error.hint})` : ""}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`drydock: internal error: ${message}\n`);
    if (io.env.DRYDOCK_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return 3;
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** Entry point used by bin/drydock.js. */
export async function main(): Promise<void> {
  process.exitCode = await run({
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin: () => readAll(process.stdin),
  });
}
