/** A failure the user can act on: printed as one line by the CLI, which exits with `exitCode`. */
export class CliError extends Error {
  override name = "CliError";
  /** Process exit code; 2 is used for usage errors, 1 for everything else. */
  readonly exitCode: number;
  constructor(message: string, options: {exitCode?: number; cause?: unknown} = {}) {
    super(message, {cause: options.cause});
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Malformed bytes: an IDX file, an image or a model file that is not what it claims to be. */
export class FormatError extends CliError {
  override name = "FormatError";
}

/** Bad command-line usage (unknown flag, invalid value). Exit code 2. */
export class UsageError extends CliError {
  override name = "UsageError";
  constructor(message: string) {
    super(message, {exitCode: 2});
  }
}

/** An HTTP failure with a status code, for the server. */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    message: string,
    readonly statusCode: number
  ) {
    super(message);
  }
}

/** Training or another long job was interrupted (Ctrl-C). Exit code 130 like a shell. */
export class InterruptedError extends CliError {
  override name = "InterruptedError";
  constructor(message: string) {
    super(message, {exitCode: 130});
  }
}

export function isEnoent(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === "ENOENT";
}
