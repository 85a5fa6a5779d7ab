// `Server-Timing: app;dur=<ms>` on every /api answer: the time from the request reaching the API router to its
// headers being written (authentication, the route, serializing the body), as browsers' dev tools and `pnpm bench`
// (bench/api.ts) read it. Durations only: no names of queries or components.
import type { NextFunction, Request, Response } from "express";

export function serverTiming(_req: Request, res: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: Parameters<Response["writeHead"]>) {
    if (!this.headersSent) {
      this.setHeader("Server-Timing", `app;dur=${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(1)}`);
    }
    return writeHead.apply(this, args);
  } as Response["writeHead"];
  next();
}
