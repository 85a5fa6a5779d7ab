// The consoles of the live-status benchmark (bench/live.ts), in a process of their own: BENCH_LIVE_CLIENTS socket.io
// clients, split evenly across the API processes in BENCH_LIVE_URLS, signed in with an API token, each on its own
// WebSocket. For every run a client sees change state it records the delay from the time the worker stamped on that
// change (`startedAt` when it turns running, `finishedAt` when it ends) to the event's arrival; for `bench-ping`
// events (published straight into Postgres by the benchmark) the delay from their `sentAt`. Both sides read the same
// clock (Date.now() on one machine). Talks to its parent over IPC: `connected` once every client is in, then the
// samples when asked for a `report`. It never outlives BENCH_LIVE_MAX_MS, nor its parent.
import { io, type ClientSocket as Socket } from "./deps.ts";

interface RunEvent {
  id: string;
  state: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const urls = (process.env.BENCH_LIVE_URLS ?? "").split(",").filter(Boolean);
const token = process.env.BENCH_LIVE_TOKEN ?? "";
const count = Number(process.env.BENCH_LIVE_CLIENTS ?? 500);
const maxMs = Number(process.env.BENCH_LIVE_MAX_MS ?? 120_000);

setTimeout(() => {
  process.stderr.write(`live clients: still running after ${maxMs} ms; exiting\n`);
  process.exit(3);
}, maxMs).unref();
process.on("disconnect", () => process.exit(0));

/** Resolves once the message is handed to the IPC channel (a large report may not be, right away, on a busy machine). */
const send = (message: unknown) =>
  new Promise<void>((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });

/** Per server URL: state-change delays and ping delays (ms). */
const samples = urls.map(() => ({ running: [] as number[], ended: [] as number[], ping: [] as number[] }));
let disconnects = 0;
let events = 0;
const sockets: Socket[] = [];

function watch(socket: Socket, server: number): void {
  // Per run, the last state this client saw: progress events repeat `running` and are not state changes.
  const seen = new Map<string, string>();
  socket.on("sync-run", (run: RunEvent) => {
    const now = Date.now();
    events++;
    if (seen.get(run.id) === run.state) return;
    seen.set(run.id, run.state);
    if (run.state === "running" && run.startedAt) samples[server]!.running.push(now - Date.parse(run.startedAt));
    else if ((run.state === "succeeded" || run.state === "failed") && run.finishedAt) {
      samples[server]!.ended.push(now - Date.parse(run.finishedAt));
    }
  });
  socket.on("bench-ping", (ping: { sentAt: number }) => {
    samples[server]!.ping.push(Date.now() - ping.sentAt);
  });
  socket.on("disconnect", () => disconnects++);
}

async function connectAll(): Promise<void> {
  const t0 = Date.now();
  // In batches: 500 handshakes at once would only measure the token check's queue.
  for (let i = 0; i < count; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, (_, j) => {
        const server = (i + j) % urls.length;
        const socket = io(urls[server]!, {
          transports: ["websocket"],
          forceNew: true,
          reconnection: false,
          auth: { token },
        });
        sockets.push(socket);
        watch(socket, server);
        return new Promise<void>((resolve, reject) => {
          socket.once("connect", () => resolve());
          socket.once("connect_error", (error: Error) => reject(error));
        });
      }),
    );
  }
  await send({ type: "connected", clients: sockets.length, ms: Date.now() - t0 });
}

process.on("message", (message: { type?: string }) => {
  if (message?.type !== "report") return;
  for (const socket of sockets) socket.close();
  // Exit only once the report is sent: exiting right after send() can drop it, and the benchmark then fails.
  void send({ type: "report", samples, events, disconnects }).then(() => setTimeout(() => process.exit(0), 200));
});

connectAll().catch((error: unknown) => {
  process.stderr.write(`live clients: ${(error as Error).message}\n`);
  process.exit(1);
});
