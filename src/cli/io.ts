/** What the CLI needs from the outside world; `main` gets the real one, tests a fake. */
export interface CliIO {
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: { write(text: string): void; isTTY?: boolean };
  stderr: { write(text: string): void; isTTY?: boolean };
  readStdin(): Promise<string>;
}

/** Colours only for a terminal, and never with NO_COLOR or --no-color. */
export function useColor(io: CliIO, flag: boolean | undefined): boolean {
  return flag !== false && io.env.NO_COLOR === undefined && Boolean(io.stdout.isTTY);
}
