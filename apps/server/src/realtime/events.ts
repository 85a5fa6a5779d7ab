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

/** An event to publish; its `seq` is added by the statement that publishes it. */
export interface PendingEvent {
  room: string;
  event: string;
  payload: Record<string, unknown>;
}

/** A notification's text around its `seq`: the publishing statement puts `nextval(…)` between the two. */
interface Framed {
  head: string;
  tail: string;
}

/** Stands where the seq goes while the message is serialized (NUL never occurs in stored text). */
const SEQ_MARK = "\u0000seq\u0000";
const SEQ_MARK_JSON = JSON.stringify(SEQ_MARK);
/** Room for the longest seq (a bigint's 19 digits). */
const SEQ_DIGITS = 20;

function message(room: string, event: string, payload: unknown) {
  return {
    uid: EMITTER_UID,
    nsp: "/",
    type: BROADCAST,
    data: {
      opts: { rooms: [room], except: [], flags: {} },
      packet: { type: EVENT_PACKET, data: [event, payload], nsp: "/" },
    },
  };
}

/**
 * The notifications of `events`, each serialized once with a hole for its seq; undefined when one is too large for a
 * notification (it then goes through the attachment table, which needs its seq first).
 */
export function frameEvents(events: readonly PendingEvent[]): Framed[] | undefined {
  const framed: Framed[] = [];
  for (const { room, event, payload } of events) {
    const json = JSON.stringify(message(room, event, { ...payload, seq: SEQ_MARK }));
    if (Buffer.byteLength(json) - SEQ_MARK_JSON.length + SEQ_DIGITS > ADAPTER_OPTIONS.payloadThreshold)
      return undefined;
    // `seq` is the payload's last key, and nothing after it in the message comes from the payload.
    const at = json.lastIndexOf(SEQ_MARK_JSON);
    framed.push({ head: json.slice(0, at), tail: json.slice(at + SEQ_MARK_JSON.length) });
  }
  return framed;
}

/**
 * One statement that takes each event's seq and notifies it, in order (a SELECT list is evaluated left to right, and
 * notifications are delivered in the order they were made): no round trip for the seq. `literal`: inline the texts
 * (for a simple-protocol query that also commits, see services/sync-status.ts); otherwise they are parameters.
 */
export function notifyStatement(
  framed: readonly Framed[],
  literal?: (text: string) => string,
): { text: string; values: string[] } {
  const values: string[] = [CHANNEL];
  const arg = (text: string) => {
    if (literal) return literal(text);
    values.push(text);
    return `$${values.length}`;
  };
  const channel = literal ? literal(CHANNEL) : "$1";
  const calls = framed.map(
    (f) => `pg_notify(${channel}, ${arg(f.head)} || nextval('realtime_event_seq')::text || ${arg(f.tail)})`,
  );
  return { text: `SELECT ${calls.join(", ")}`, values: literal ? [] : values };
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
    const msg = message(room, event, payload);
    const json = JSON.stringify(msg);
    if (Buffer.byteLength(json) <= ADAPTER_OPTIONS.payloadThreshold) {
      await via.exec("SELECT pg_notify($1, $2)", [CHANNEL, json]);
      return;
    }
    const [row] = await via.rows<{ id: string }>(
      `INSERT INTO ${ADAPTER_OPTIONS.tableName} (payload) VALUES ($1) RETURNING id::text AS id`,
      [Buffer.from(encode(msg))],
    );
    const header = { uid: msg.uid, nsp: msg.nsp, type: msg.type, attachmentId: row!.id };
    await via.exec("SELECT pg_notify($1, $2)", [CHANNEL, JSON.stringify(header)]);
  }

  /**
   * Publishes events in order, each with the next `seq`: in one statement when they all fit in a notification,
   * otherwise one at a time (seq first, then the event).
   */
  async publish(events: readonly PendingEvent[], via: EventSql = this.sql): Promise<void> {
    if (events.length === 0) return;
    const framed = frameEvents(events);
    if (framed) {
      const { text, values } = notifyStatement(framed);
      await via.exec(text, values);
      return;
    }
    for (const { room, event, payload } of events) {
      await this.emit(room, event, { ...payload, seq: await this.seq(via) }, via);
    }
  }

  /** `via`: a transaction to publish in (services/sync-status.ts `publishRun`); otherwise the pool. */
  async supStatus(row: SupSyncStatusRow, via: EventSql = this.sql): Promise<void> {
    await this.publish([{ room: STATUS_ROOM, event: "sup-status", payload: row }], via);
  }

  async syncRun(run: SyncRunDto, via: EventSql = this.sql): Promise<void> {
    await this.publish([{ room: STATUS_ROOM, event: "sync-run", payload: run }], via);
  }

  async alert(alert: AlertDto): Promise<void> {
    await this.publish([{ room: STATUS_ROOM, event: "alert", payload: alert }]);
  }

  async syncLog(runId: string, lines: SyncLogLineDto[]): Promise<void> {
    if (lines.length === 0) return;
    await this.publish([{ room: runRoom(runId), event: "sync-log", payload: { runId, lines } }]);
  }
}
