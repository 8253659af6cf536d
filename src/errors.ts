/**
 * Errors that reach the user. Each carries a stable `code` and the process exit code; the CLI
 * prints the message on one line (no stack trace) and exits with `exitCode`.
 */
export class DrydockError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly hint?: string;
  constructor(
    code: string,
    message: string,
    options: { exitCode?: number; hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DrydockError";
    this.code = code;
    this.exitCode = options.exitCode ?? 1;
    this.hint = options.hint;
  }
}

/** Bad flags, unreadable inputs, invalid config: exit code 2. */
export class UsageError extends DrydockError {
  constructor(message: string, hint?: string) {
    super("USAGE", message, { exitCode: 2, hint });
    this.name = "UsageError";
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
