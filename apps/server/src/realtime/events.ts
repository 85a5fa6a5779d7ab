// Socket events from any process: they go out through Postgres NOTIFY in the message format of
// @socket.io/postgres-adapter, and every API process's adapter (realtime/gateway.ts) delivers them to its sockets — so
// a console on API process A sees a run executed by worker B. Publishing needs no socket.io server: a worker is no
// member of the socket.io cluster (no adapter heartbeats, not counted by fetchSockets/serverSideEmit), and an event
// can be sent inside a database transaction, so it commits — and is delivered — with the change it describes. (The
// published @socket.io/postgres-emitter 0.1 writes an older format that adapter 0.5 drops — no top-level `nsp` —
// hence this small publisher.)
//
// Order: each event carries a `seq` from one database sequence. Events about a site's runs are published one at a
// time under a per-site transaction lock (services/sync-status.ts `publishRun`): each takes its seq and reads the run
// after the previous one committed, and Postgres delivers notifications in commit order, so consoles receive a run's
// events in `seq` order, each at least as new as the one before. (An event too large for a notification is read back
// from the attachment table by each adapter, so a small event right behind it may overtake it; `seq` tells.)
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

/** The adapter's settings, shared by the publisher and by every API process's adapter (realtime/gateway.ts). */
export const ADAPTER_OPTIONS = {
  channelPrefix: "socket.io",
  /** Messages over the NOTIFY limit: the payload is stored here and the notification names its row. */
  tableName: "socket_io_attachments",
  /** NOTIFY payloads must stay under 8000 bytes; larger messages go through the attachment table. */
  payloadThreshold: 7_900,
  /** Each API process deletes attachments older than this, this often (every reader has fetched them by then). */
  cleanupInterval: 30_000,
} as const;

const CHANNEL = `${ADAPTER_OPTIONS.channelPrefix}#/`;
/** socket.io-adapter's EMITTER_UID: the adapters do not count an emitter as a server of the cluster. */
const EMITTER_UID = "emitter";
/** socket.io-adapter's ClusterAdapter MessageType.BROADCAST. */
const BROADCAST = 3;
/** socket.io-parser's PacketType.EVENT. */
const EVENT_PACKET = 2;

/** Where an event's statements run: the publisher's pool, or a transaction the event commits with. */
export interface EventSql {
  rows<T>(text: string, values: unknown[]): Promise<T[]>;
  exec(text: string, values: unknown[]): Promise<void>;
}

export function poolSql(pool: pg.Pool): EventSql {
  return {
    rows: async <T>(text: string, values: unknown[]) => (await pool.query(text, values)).rows as T[],
    exec: async (text, values) => void (await pool.query(text, values)),
  };
}

/** A Prisma transaction (or client) as an EventSql: NOTIFY inside a transaction is delivered when it commits. */
export function prismaSql(tx: {
  $queryRawUnsafe<T>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}): EventSql {
  return {
    rows: <T>(text: string, values: unknown[]) => tx.$queryRawUnsafe<T[]>(text, ...values),
    exec: async (text, values) => void (await tx.$executeRawUnsafe(text, ...values)),
  };
}

export class EventPublisher {
  private readonly sql: EventSql;

  constructor(pool: pg.Pool) {
    this.sql = poolSql(pool);
  }

  private async seq(via: EventSql): Promise<number> {
    const [row] = await via.rows<{ seq: bigint | string | number }>("SELECT nextval('realtime_event_seq') AS seq", []);
    return Number(row!.seq);
  }

  /** Broadcasts one event to the sockets in `room`, on every API process. */
  async emit(room: string, event: string, payload: unknown, via: EventSql = this.sql): Promise<void> {
    const message = {
      uid: EMITTER_UID,
      nsp: "/",
      type: BROADCAST,
      data: {
        opts: { rooms: [room], except: [], flags: {} },
        packet: { type: EVENT_PACKET, data: [event, payload], nsp: "/" },
      },
    };
    const json = JSON.stringify(message);
    if (Buffer.byteLength(json) <= ADAPTER_OPTIONS.payloadThreshold) {
      await via.exec("SELECT pg_notify($1, $2)", [CHANNEL, json]);
      return;
    }
    const [row] = await via.rows<{ id: string }>(
      `INSERT INTO ${ADAPTER_OPTIONS.tableName} (payload) VALUES ($1) RETURNING id::text AS id`,
      [Buffer.from(encode(message))],
    );
    const header = { uid: message.uid, nsp: message.nsp, type: message.type, attachmentId: row!.id };
    await via.exec("SELECT pg_notify($1, $2)", [CHANNEL, JSON.stringify(header)]);
  }

  /** `via`: a transaction to publish in (services/sync-status.ts `publishRun`); otherwise the pool. */
  async supStatus(row: SupSyncStatusRow, via: EventSql = this.sql): Promise<void> {
    await this.emit(STATUS_ROOM, "sup-status", { ...row, seq: await this.seq(via) }, via);
  }

  async syncRun(run: SyncRunDto, via: EventSql = this.sql): Promise<void> {
    await this.emit(STATUS_ROOM, "sync-run", { ...run, seq: await this.seq(via) }, via);
  }

  async alert(alert: AlertDto): Promise<void> {
    await this.emit(STATUS_ROOM, "alert", { ...alert, seq: await this.seq(this.sql) });
  }

  async syncLog(runId: string, lines: SyncLogLineDto[]): Promise<void> {
    if (lines.length === 0) return;
    await this.emit(runRoom(runId), "sync-log", { seq: await this.seq(this.sql), runId, lines });
  }
}
