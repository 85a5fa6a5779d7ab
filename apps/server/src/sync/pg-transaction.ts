// A transaction on the process's pg pool for statements written as Prisma.sql templates (their `.text` has $n
// placeholders, their `.values` the parameters). The run's hot path uses it where Prisma's interactive transaction
// would cost several times the CPU of the statements themselves: a cascade applies thousands of small deltas.
import type { Prisma } from "@syncpoint/db";
import type pg from "pg";
import { inlineSql } from "../sql/literal.ts";

export interface PgTransaction {
  rows<T extends object>(statement: Prisma.Sql): Promise<T[]>;
  /** The number of rows the statement affected. */
  execute(statement: Prisma.Sql): Promise<number>;
  /** Several statements in one round trip (their values inlined as literals); a result for each, in order. */
  batch(statements: readonly Prisma.Sql[]): Promise<pg.QueryResult[]>;
  /** The same, one round trip each, the values as parameters (for long arrays, which inlining would only copy). */
  each(statements: readonly Prisma.Sql[]): Promise<pg.QueryResult[]>;
}

/** Statements in one simple-protocol query: their values inlined (sql/literal.ts); a result for each. */
async function sendBatch(
  on: Pick<pg.Pool | pg.PoolClient, "query">,
  statements: readonly Prisma.Sql[],
): Promise<pg.QueryResult[]> {
  if (statements.length === 0) return [];
  const result = (await on.query(statements.map(inlineSql).join(";\n"))) as unknown as
    pg.QueryResult | pg.QueryResult[];
  return Array.isArray(result) ? result : [result];
}

/**
 * Statements in one round trip and one transaction: a simple query's statements run as one implicit transaction
 * (committed after the last, rolled back on any error), so a transaction lock taken by the first holds to the end.
 */
export function pgStatements(pool: pg.Pool, statements: readonly Prisma.Sql[]): Promise<pg.QueryResult[]> {
  return sendBatch(pool, statements);
}

/**
 * Runs `work` on one pooled connection, which `work` may leave inside a transaction: anything thrown rolls back and is
 * rethrown. A connection that cannot even roll back is discarded rather than returned to the pool.
 */
export async function withPgConnection<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    return await work(client);
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Runs `work` between BEGIN and COMMIT on one connection; anything thrown rolls back and is rethrown. */
export function pgTransaction<T>(pool: pg.Pool, work: (tx: PgTransaction) => Promise<T>): Promise<T> {
  return withPgConnection(pool, async (client) => {
    const tx: PgTransaction = {
      rows: async <R extends object>(statement: Prisma.Sql) =>
        (await client.query<R>(statement.text, statement.values as unknown[])).rows,
      execute: async (statement) => (await client.query(statement.text, statement.values as unknown[])).rowCount ?? 0,
      batch: (statements) => sendBatch(client, statements),
      each: async (statements) => {
        const results: pg.QueryResult[] = [];
        for (const statement of statements)
          results.push(await client.query(statement.text, statement.values as unknown[]));
        return results;
      },
    };
    await client.query("BEGIN");
    const result = await work(tx);
    await client.query("COMMIT");
    return result;
  });
}
