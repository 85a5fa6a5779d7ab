// What every command gets: the API client, the outside world, and how to print.
import type { ApiClient } from "./api.ts";
import type { Io } from "./io.ts";

export interface Context {
  api: ApiClient;
  io: Io;
  /** `--json`: print the API's parsed answers instead of text for people. */
  json: boolean;
  /** To stdout. */
  out(text: string): void;
  /** A note to stderr (kept off stdout so that `--json` output stays parseable). */
  note(text: string): void;
  /** One answer as indented JSON (one-shot commands). */
  printJson(value: unknown): void;
  /** One JSON value per line (`--wait`, `--watch`, `--follow`). */
  printJsonLine(value: unknown): void;
}

export function createContext(api: ApiClient, io: Io, json: boolean): Context {
  return {
    api,
    io,
    json,
    out: (text) => void io.stdout.write(text),
    note: (text) => void io.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
    printJson: (value) => void io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    printJsonLine: (value) => void io.stdout.write(`${JSON.stringify(value)}\n`),
  };
}
