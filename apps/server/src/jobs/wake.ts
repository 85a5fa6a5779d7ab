// Wakes a pg-boss worker the moment a run is queued: pg-boss only polls, and a poll interval of seconds is a visible
// pause between clicking Synchronize and the run starting. Polling stays as the fallback when a notification is lost.
import pg from "pg";
import type { Logger } from "../logger.ts";
import { JOB_QUEUED_CHANNEL } from "./queue.ts";

export interface JobListener {
  stop(): Promise<void>;
}

export async function listenForQueuedJobs(options: {
  connectionString: string;
  logger: Logger;
  onQueued: () => void;
  /** Wait before reconnecting after the connection dropped. */
  reconnectMs?: number;
}): Promise<JobListener> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: options.connectionString, application_name: "syncpoint-wake" });
    next.on("notification", () => options.onQueued());
    next.on("error", (error) => {
      options.logger.warn({ err: error }, "job wake-up connection lost; polling until it is back");
      next.end().catch(() => undefined);
      if (!stopped) retry = setTimeout(() => void connect().catch(() => undefined), options.reconnectMs ?? 5_000);
    });
    await next.connect();
    await next.query(`LISTEN ${JOB_QUEUED_CHANNEL}`);
    client = next;
  };
  await connect();

  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
