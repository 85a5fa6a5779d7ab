// Socket events from any process: they go out through Postgres NOTIFY in the message format of
// @socket.io/postgres-adapter, and every API process's adapter delivers them to its sockets — so a console on API
// process A sees a run executed by worker B. (The published @socket.io/postgres-emitter 0.1 writes an older format
// that adapter 0.5 drops — no top-level `nsp` — hence this small publisher.) Each event carries a `seq` from one
// database sequence, so clients can order events across processes.
import { encode } from "@msgpack/msgpack";
import {
  STATUS_ROOM,
  type AlertDto,
  runRoom,
  type SupSyncStatusRow,
  type SyncLogLineDto,
  type SyncRunDto,
} from "@syncpoint/contracts";
import type pg from "pg";

const CHANNEL = "socket.io#/";
/** NOTIFY payloads must stay under 8000 bytes; larger messages go through the adapter's attachment table. */
const PAYLOAD_THRESHOLD = 7_900;
/** socket.io-adapter's ClusterAdapter MessageType.BROADCAST. */
const BROADCAST = 3;
/** socket.io-parser's PacketType.EVENT. */
const EVENT_PACKET = 2;

export class EventPublisher {
  constructor(private readonly pool: pg.Pool) {}

  private async seq(): Promise<number> {
    const { rows } = await this.pool.query<{ seq: string }>("SELECT nextval('realtime_event_seq') AS seq");
    return Number(rows[0]!.seq);
  }

  /** Broadcasts one event to the sockets in `room`, on every API process. */
  async emit(room: string, event: string, payload: unknown): Promise<void> {
    const message = {
      uid: "syncpoint-events",
      nsp: "/",
      type: BROADCAST,
      data: {
        opts: { rooms: [room], except: [], flags: {} },
        packet: { type: EVENT_PACKET, data: [event, payload], nsp: "/" },
      },
    };
    const json = JSON.stringify(message);
    if (Buffer.byteLength(json) <= PAYLOAD_THRESHOLD) {
      await this.pool.query("SELECT pg_notify($1, $2)", [CHANNEL, json]);
      return;
    }
    const { rows } = await this.pool.query<{ id: string }>(
      "INSERT INTO socket_io_attachments (payload) VALUES ($1) RETURNING id",
      [Buffer.from(encode(message))],
    );
    const header = { uid: message.uid, nsp: message.nsp, type: message.type, attachmentId: rows[0]!.id };
    await this.pool.query("SELECT pg_notify($1, $2)", [CHANNEL, JSON.stringify(header)]);
  }

  async supStatus(row: SupSyncStatusRow): Promise<void> {
    await this.emit(STATUS_ROOM, "sup-status", { ...row, seq: await this.seq() });
  }

  async syncRun(run: SyncRunDto): Promise<void> {
    await this.emit(STATUS_ROOM, "sync-run", { ...run, seq: await this.seq() });
  }

  async alert(alert: AlertDto): Promise<void> {
    await this.emit(STATUS_ROOM, "alert", { ...alert, seq: await this.seq() });
  }

  async syncLog(runId: string, lines: SyncLogLineDto[]): Promise<void> {
    if (lines.length === 0) return;
    await this.emit(runRoom(runId), "sync-log", { seq: await this.seq(), runId, lines });
  }
}
