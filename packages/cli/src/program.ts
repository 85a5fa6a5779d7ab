// The `syncpoint` command line (commander): global `--json` and `--url`, one module per command under commands/,
// and one place that turns errors into `error: …` lines on stderr and exit codes.
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { SupState } from "@syncpoint/contracts";
import { ApiClient, ApiError, NetworkError, UnexpectedResponseError } from "./api.ts";
import { readConfig } from "./config.ts";
import { createContext, type Context } from "./context.ts";
import { CliError, EXIT, Interrupted, type Io } from "./io.ts";
import { logCommand } from "./commands/log.ts";
import { exportCommand, importCommand, type ImportOptions } from "./commands/packages.ts";
import { runsCommand } from "./commands/runs.ts";
import { parseDayOfWeek, parseWeekOfMonth, settingsGetCommand, settingsSetCommand } from "./commands/settings.ts";
import { statusCommand } from "./commands/status.ts";
import { syncCommand } from "./commands/sync.ts";
import { updatesSearchCommand } from "./commands/updates.ts";

export const VERSION = "0.1.0";

const SUP_STATES = SupState.options;

/** An integer option within bounds. */
export function integer(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(`${name} is a whole number (${min}–${max}).`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`${name} is ${min}–${max}.`);
    return n;
  };
}

/** A repeatable option: `--add-product a --add-product b` → [a, b]. */
const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

const wrap =
  <T>(parse: (value: string) => T) =>
  (value: string) => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };

const ENV_HELP = `
Environment:
  SYNCPOINT_URL        where Syncpoint runs (default http://localhost:8080)
  SYNCPOINT_TOKEN      an API token (Administration › API Tokens), or
  SYNCPOINT_USER and SYNCPOINT_PASSWORD to sign in with a user name and password

Exit codes:
  0 done; 1 an error (printed as "error: CODE: message" on stderr);
  sync --wait and import: 2 the run failed, 3 it was canceled; 130 stopped waiting (Ctrl-C).`;

/** Runs the CLI for `argv` (without node and the script); resolves with the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  let api: ApiClient | undefined;
  let exitCode: number = EXIT.ok;

  const program = new Command("syncpoint")
    .description("Synchronize, watch and configure Syncpoint's software update points from the command line.")
    .version(VERSION, "-V, --version")
    .option("--json", "print the API's answers as JSON (one JSON value per line while waiting or watching)")
    .option("--url <url>", "where Syncpoint runs (overrides SYNCPOINT_URL)")
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
    .exitOverride()
    .showHelpAfterError("(add --help for usage)")
    .addHelpText("after", ENV_HELP);

  /** The action of a command: a context from the global options, then the command's exit code. */
  const act =
    <A extends unknown[]>(fn: (ctx: Context, ...args: A) => Promise<number>) =>
    async (...args: [...A, Command]) => {
      const command = args.at(-1) as Command;
      const globals = command.optsWithGlobals<{ json?: boolean; url?: string }>();
      const config = readConfig(io.env, globals.url);
      api = new ApiClient({ baseUrl: config.baseUrl, auth: config.auth, fetch: io.fetch, interrupt: io.interrupt });
      exitCode = await fn(createContext(api, io, globals.json === true), ...(args.slice(0, -1) as A));
    };

  program
    .command("sync")
    .description(
      "Synchronize Software Updates at the top-level site. With --wait, follow the run to its end (exit 0 succeeded, " +
        "2 failed, 3 canceled); while a run is already active, --wait follows that one instead of failing.",
    )
    .option("--full", "a full synchronization instead of a delta")
    .option("--wait", "follow the run's phase and progress every second until it ends")
    .action(act((ctx, options: { full?: boolean; wait?: boolean }) => syncCommand(ctx, options)));

  program
    .command("status")
    .description("Software Update Point Synchronization Status: every site's state, progress, last sync, catalog.")
    .option("--watch", "redraw every 2 s until Ctrl-C")
    .addOption(new Option("--state <state>", "only rows in this state").choices(SUP_STATES))
    .option("--parent <site>", "only the child sites of this site")
    .option("--search <text>", "only sites whose code or server starts with this")
    .action(
      act((ctx, options: { watch?: boolean; state?: (typeof SUP_STATES)[number]; parent?: string; search?: string }) =>
        statusCommand(ctx, options),
      ),
    );

  program
    .command("runs")
    .description("Synchronization runs, newest first.")
    .option("--site <code>", "only this site's runs")
    .option("--limit <n>", "how many (1–500)", integer("--limit", 1, 500), 20)
    .action(act((ctx, options: { site?: string; limit: number }) => runsCommand(ctx, options)));

  program
    .command("log")
    .description("A run's log in the wsyncmgr.log format (`latest` for the newest run).")
    .argument("<run>", "the run id, or latest")
    .option("--follow", "keep printing new lines until the run ends")
    .action(act((ctx, runId: string, options: { follow?: boolean }) => logCommand(ctx, runId, options)));

  program
    .command("export")
    .description(
      "Export a site's catalog (default: the top-level site) as an update package file, for a disconnected top-level " +
        "site to import (streamed; the file appears only once complete).",
    )
    .argument("<file>", "the package file to write, e.g. syncpoint-CAS.ndjson.gz")
    .option("--site <code>", "the site whose catalog to export")
    .action(act((ctx, file: string, options: { site?: string }) => exportCommand(ctx, file, options)));

  program
    .command("import")
    .description(
      "Import an update package into the disconnected top-level site: upload (verified before anything is applied), " +
        "apply, and follow the run (exit 0 succeeded, 2 failed, 3 canceled).",
    )
    .argument("<file>", "the package file written by export")
    .option("--no-apply", "upload and verify only; apply later (console or the API)")
    .option("--no-wait", "apply, print the run id and return at once")
    .action(act((ctx, file: string, options: ImportOptions) => importCommand(ctx, file, options)));

  const updates = program.command("updates").description("All Software Updates of a site's catalog.");
  updates
    .command("search")
    .description("Search updates by title, KB article, bulletin or CVE, with filters.")
    .argument("[text]", "words of the title, a KB number, a bulletin or a CVE id")
    .option("--classification <guid|title>", "only this classification (repeatable, or comma-separated)", collect)
    .option("--product <guid|title>", "only this product (repeatable, or comma-separated)", collect)
    .addOption(
      new Option("--severity <severity>", "only this MSRC severity").choices([
        "Critical",
        "Important",
        "Moderate",
        "Low",
        "None",
      ]),
    )
    .option("--site <code>", "another site's catalog (default: the top-level site)")
    .option("--expired", "only expired updates")
    .option("--no-expired", "only updates that are not expired")
    .option("--superseded", "only superseded updates")
    .option("--no-superseded", "only updates that are not superseded")
    .option("--sort <field>", "title, releaseDate, severity or kb; -field for descending (default -releaseDate)")
    .option("--limit <n>", "how many (1–500)", integer("--limit", 1, 500), 20)
    .action(
      act((ctx, text: string | undefined, options: Parameters<typeof updatesSearchCommand>[2]) =>
        updatesSearchCommand(ctx, text, options),
      ),
    );

  const settings = program
    .command("settings")
    .description("The software update point component settings (as Set-CMSoftwareUpdatePointComponent).");
  settings
    .command("get")
    .description("Show the settings.")
    .action(act((ctx) => settingsGetCommand(ctx)));
  const minutes = (name: string, max: number) => integer(name, 1, max);
  const days = (name: string) => integer(name, 1, 3650);
  settings
    .command("set")
    .description("Change settings; only what the options name changes. Prints what changed.")
    .addOption(
      new Option("--sync-source <source>", "where the top-level site synchronizes from").choices([
        "microsoft-update",
        "upstream-url",
        "disconnected",
      ]),
    )
    .option("--upstream-url <url|none>", "the upstream server for --sync-source upstream-url")
    .option("--add-product <guid|title>", "synchronize this product too (repeatable, or comma-separated)", collect)
    .option("--remove-product <guid|title>", "stop synchronizing this product (repeatable)", collect)
    .option("--add-classification <guid|title>", "synchronize this classification too (repeatable)", collect)
    .option("--remove-classification <guid|title>", "stop synchronizing this classification (repeatable)", collect)
    .option("--add-language <code>", "synchronize updates in this language too (repeatable)", collect)
    .option("--remove-language <code>", "stop synchronizing this language (repeatable)", collect)
    .option(
      "--supersedence-months <n>",
      "expire superseded updates after n months (1–99)",
      integer("--supersedence-months", 1, 99),
    )
    .option("--expire-immediately", "expire superseded updates immediately")
    .option("--no-expire-immediately", "expire superseded updates after --supersedence-months")
    .option(
      "--feature-supersedence-months <n>",
      "the same for feature updates (1–99)",
      integer("--feature-supersedence-months", 1, 99),
    )
    .option("--feature-expire-immediately", "expire superseded feature updates immediately")
    .option("--no-feature-expire-immediately", "expire superseded feature updates after their months")
    .option(
      "--max-run-time-feature <minutes>",
      "maximum run time of feature updates",
      minutes("--max-run-time-feature", 9999),
    )
    .option(
      "--max-run-time-windows-or-office <minutes>",
      "maximum run time of Windows and Office updates",
      minutes("--max-run-time-windows-or-office", 9999),
    )
    .option(
      "--max-run-time-other <minutes>",
      "maximum run time of other updates",
      minutes("--max-run-time-other", 9999),
    )
    .option("--remove-obsolete-revisions", "WSUS maintenance after each sync: delete revisions no catalog references")
    .option("--no-remove-obsolete-revisions", "keep obsolete revisions")
    .option("--schedule-enabled", "synchronize on the schedule")
    .option("--no-schedule-enabled", "synchronize only by hand")
    .option(
      "--schedule-every <n>",
      "a simple schedule: every n hours (1–23), days (1–31) or weeks (1–4)",
      integer("--schedule-every", 1, 31),
    )
    .addOption(new Option("--schedule-unit <unit>", "the unit of --schedule-every").choices(["hours", "days", "weeks"]))
    .option("--schedule-day <day>", "a weekly or monthly schedule: the day (sun … sat)", wrap(parseDayOfWeek))
    .option("--schedule-time <HH:MM>", "a weekly or monthly schedule: the time of day")
    .option(
      "--schedule-week <1-4|last>",
      "a monthly schedule: which of the month's --schedule-day",
      wrap(parseWeekOfMonth),
    )
    .option(
      "--schedule-every-weeks <n>",
      "a weekly schedule: every n weeks (1–4)",
      integer("--schedule-every-weeks", 1, 4),
    )
    .option("--schedule-time-zone <zone>", "the schedule's IANA time zone (e.g. Europe/Berlin)")
    .option("--schedule-start <iso-time>", "a simple schedule's first occurrence")
    .option("--schedules-paused", "pause all schedules and automatic retries (maintenance window)")
    .option("--no-schedules-paused", "resume schedules")
    .option("--sync-failure-alert", "raise an alert when a synchronization fails")
    .option("--no-sync-failure-alert", "no alert on failures")
    .option("--retry-minutes <n>", "retry a failed site after n minutes", minutes("--retry-minutes", 10_080))
    .option(
      "--stalled-minutes <n>",
      "treat a run without progress for n minutes as stalled",
      minutes("--stalled-minutes", 1_440),
    )
    .option("--status-message-days <n>", "keep status messages n days", days("--status-message-days"))
    .option("--run-days <n>", "keep runs and their logs n days", days("--run-days"))
    .option("--audit-days <n>", "keep audit records n days", days("--audit-days"))
    .option("--proxy-url <url|none>", "the proxy to the upstream server")
    .option("--proxy-username <name|none>", "the proxy user (set its password with --set proxy.password=…)")
    .option("--upstream-ca-bundle <file|none>", "trust these PEM certificates for the upstream server")
    .option(
      "--set <field=value>",
      "any field of PUT /api/sup-settings, e.g. supersedence.months=3 (JSON values)",
      collect,
    )
    .action(act((ctx, options: Parameters<typeof settingsSetCommand>[1]) => settingsSetCommand(ctx, options)));

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    exitCode = report(error, io);
  } finally {
    await api?.close();
  }
  return exitCode;
}

/** Prints an error as `error: …` on stderr; returns the exit code it means. */
export function report(error: unknown, io: Io): number {
  const err = (line: string) => void io.stderr.write(`${line}\n`);
  if (error instanceof CommanderError) return error.exitCode; // commander printed it (or the help)
  if (error instanceof Interrupted) return EXIT.interrupted; // Ctrl-C: nothing to explain
  if (error instanceof ApiError) {
    err(`error: ${error.code}: ${error.message}`);
    const details = error.details as { fields?: { field?: unknown; message?: unknown }[]; runId?: unknown } | undefined;
    for (const f of details?.fields ?? []) {
      if (typeof f.field === "string" && typeof f.message === "string") err(`  ${f.field}: ${f.message}`);
    }
    if (error.code === "SYNC_ALREADY_ACTIVE" && typeof details?.runId === "string") {
      err(
        `  active run: ${details.runId} (follow it: syncpoint sync --wait, or syncpoint log ${details.runId} --follow)`,
      );
    }
    if (error.hint) err(`  ${error.hint}`);
    return EXIT.error;
  }
  if (error instanceof CliError) {
    err(`error: ${error.message}`);
    return error.exitCode;
  }
  if (error instanceof NetworkError || error instanceof UnexpectedResponseError) {
    err(`error: ${error.message}`);
    return EXIT.error;
  }
  err(`error: ${(error as Error)?.message ?? String(error)}`);
  return EXIT.error;
}
