import { Command, CommanderError } from "@commander-js/extra-typings";
import { DrydockError } from "../errors.ts";
import { VERSION } from "../version.ts";
import { registerAdvise } from "./commands/advise.ts";
import { registerAudit } from "./commands/audit.ts";
import { registerCheck } from "./commands/check.ts";
import { registerDb } from "./commands/db.ts";
import { registerInit } from "./commands/init.ts";
import { registerInspect } from "./commands/inspect.ts";
import { registerLint } from "./commands/lint.ts";
import { registerRules } from "./commands/rules.ts";
import { registerSbom } from "./commands/sbom.ts";
import { registerScan } from "./commands/scan.ts";
import type { CliIO } from "./io.ts";

export type { CliIO } from "./io.ts";

function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
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

  registerLint(program, io, setExit);
  registerInspect(program, io, setExit);
  registerAudit(program, io, setExit);
  registerRules(program, io, setExit);
  registerAdvise(program, io, setExit);
  registerInit(program, io, setExit);
  registerCheck(program, io, setExit);
  registerSbom(program, io, setExit);
  registerScan(program, io, setExit);
  registerDb(program, io, setExit);

  return program;
}

/** Runs the CLI and returns the exit code. Never throws. */
export async function run(io: CliIO): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
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
