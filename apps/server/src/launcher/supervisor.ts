// Starts and stops the processes `pnpm start` runs. Each child gets its own process group, so a Ctrl-C reaches only
// the launcher, which then stops the children in order and Postgres last; nothing is left running.
import { spawn, type ChildProcess } from "node:child_process";

export interface ChildSpec {
  name: string;
  /** Absolute path of the TypeScript entry point, run with tsx's loader. */
  entry: string;
  args?: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;

  /** Called when a child exits while we are not stopping: the stack is broken. */
  constructor(
    private readonly onUnexpectedExit: (name: string, code: number | null, signal: NodeJS.Signals | null) => void,
  ) {}

  start(spec: ChildSpec): ChildProcess {
    const child = spawn(process.execPath, ["--import", "tsx", spec.entry, ...(spec.args ?? [])], {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      // The IPC channel doubles as a lifeline: a child whose channel closes knows the launcher died, and exits.
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.children.set(spec.name, child);
    child.once("exit", (code, signal) => {
      this.children.delete(spec.name);
      if (!this.stopping) this.onUnexpectedExit(spec.name, code, signal);
    });
    return child;
  }

  get pids(): number[] {
    return [...this.children.values()].map((c) => c.pid).filter((pid): pid is number => pid !== undefined);
  }

  /** SIGTERM to every child, SIGKILL to those still running after the grace period; resolves when all have exited. */
  async stopAll(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
            child.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill("SIGTERM");
          }),
      ),
    );
  }
}
