// A transaction on the process's pg pool for statements written as Prisma.sql templates (their `.text` has $n
// placeholders, their `.values` the parameters). The run's hot path uses it where Prisma's interactive transaction
// would cost several times the CPU of the statements themselves: a cascade applies thousands of small deltas.
import type { Prisma } from "@syncpoint/db";
import type pg from "pg";

export interface PgTransaction {
  rows<T extends object>(statement: Prisma.Sql): Promise<T[]>;
  /** The number of rows the statement affected. */
  execute(statement: Prisma.Sql): Promise<number>;
}

/** Runs `work` between BEGIN and COMMIT on one connection; anything thrown rolls back and is rethrown. */
export async function pgTransaction<T>(pool: pg.Pool, work: (tx: PgTransaction) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const tx: PgTransaction = {
    rows: async <R extends object>(statement: Prisma.Sql) =>
      (await client.query<R>(statement.text, statement.values as unknown[])).rows,
    execute: async (statement) => (await client.query(statement.text, statement.values as unknown[])).rowCount ?? 0,
  };
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await work(tx);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    // A connection that cannot even roll back is discarded rather than returned to the pool.
    await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
