// What the CLI touches outside itself, passed in so that tests drive it with fakes: the two output streams, the
// environment, fetch, the clock and Ctrl-C.

export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  fetch: typeof fetch;
  /** Aborted on Ctrl-C: `--wait`, `--watch` and `--follow` stop at the next tick. */
  interrupt: AbortSignal;
  /** Resolves after `ms`, or at once when `interrupt` fires. */
  sleep(ms: number): Promise<void>;
  readFile(path: string): Promise<string>;
  /** Where files named on the command line are relative to (default: the process's working directory). */
  cwd?: string;
}

/**
 * Exit codes: 0 done; 1 an error (API, network, usage); `sync --wait` and `import`: 2 the run failed, 3 it was
 * canceled.
 */
export const EXIT = { ok: 0, error: 1, syncFailed: 2, syncCanceled: 3, interrupted: 130 } as const;

/** A failure the CLI explains in one line (`error: <message>`) and exits with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** Ctrl-C ended a request: loops stop as they would at their next tick; anything else exits 130 quietly. */
export class Interrupted extends Error {
  constructor() {
    super("interrupted");
    this.name = "Interrupted";
  }
}

export function sleeper(interrupt: AbortSignal): (ms: number) => Promise<void> {
  return (ms) =>
    new Promise<void>((resolve) => {
      if (interrupt.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        interrupt.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      interrupt.addEventListener("abort", done, { once: true });
    });
}
