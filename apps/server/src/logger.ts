import { pino, type Logger } from "pino";
import { currentRequestId } from "./request-context.ts";

export type { Logger };

/** Structured JSON on stdout; every line written inside a request carries its request id. */
export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { pid: process.pid, ...bindings },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
    redact: {
      paths: ["password", "*.password", "newPassword", "*.newPassword", "currentPassword", "*.currentPassword"],
      censor: "[redacted]",
    },
  });
}
