import { hostname } from "node:os";
import type { PrismaClient } from "@syncpoint/db";
import type { Logger } from "../logger.ts";

/**
 * A worker proves it is alive by writing its heartbeat row every interval; /api/health reads the freshest one.
 * Stopping removes the row, so a cleanly stopped worker does not look alive for another 30 s.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt = new Date();

  constructor(
    private readonly prisma: PrismaClient,
    readonly workerId: string,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => {
      this.beat().catch((error: unknown) => this.logger.warn({ err: error }, "worker heartbeat failed"));
    }, this.intervalMs);
  }

  private async beat(): Promise<void> {
    const now = new Date();
    await this.prisma.workerHeartbeat.upsert({
      where: { workerId: this.workerId },
      create: {
        workerId: this.workerId,
        hostname: hostname(),
        pid: process.pid,
        startedAt: this.startedAt,
        lastBeatAt: now,
      },
      update: { lastBeatAt: now },
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.prisma.workerHeartbeat.deleteMany({ where: { workerId: this.workerId } }).catch(() => undefined);
  }
}
