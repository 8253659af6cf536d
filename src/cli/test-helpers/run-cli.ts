import { type CliIO, run } from "../main.ts";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface FakeWorld {
  cwd: string;
  env?: Record<string, string | undefined>;
  stdin?: string;
  /** Whether stdout is a terminal (colours, progress). */
  tty?: boolean;
}

/** Runs the CLI in process with a fake outside world; returns what it wrote and its exit code. */
export async function runCli(argv: string[], world: FakeWorld): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIO = {
    argv,
    env: world.env ?? {},
    cwd: world.cwd,
    stdout: { write: (text) => void stdout.push(text), isTTY: world.tty ?? false },
    stderr: { write: (text) => void stderr.push(text), isTTY: false },
    readStdin: async () => world.stdin ?? "",
  };
  const code = await run(io);
  return { code, stdout: stdout.join(""), stderr: stderr.join("") };
}
