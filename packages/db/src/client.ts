import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";

export interface PrismaOptions {
  /** Connection pool size for this process. */
  poolSize?: number;
}

/** A Prisma client on the `pg` driver adapter (Prisma 7 needs no query engine binary this way). */
export function createPrismaClient(databaseUrl: string, options: PrismaOptions = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.poolSize ?? 10 });
  return new PrismaClient({ adapter });
}

export type { PrismaClient };
