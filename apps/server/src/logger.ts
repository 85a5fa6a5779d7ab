import { pino, type DestinationStream, type Logger } from "pino";
import { currentRequestId } from "./request-context.ts";
import { REDACT_PATHS, REDACTED, redactSecrets } from "./security/redact.ts";

export type { Logger };

/**
 * Structured JSON on stdout (or `destination`); every line written inside a request carries its request id. No line
 * carries a secret: secret fields are censored, and so is any known secret value wherever it appears
 * (security/redact.ts).
 */
export function createLogger(
  level: string,
  bindings: Record<string, unknown> = {},
  destination?: DestinationStream,
): Logger {
  const options = {
    level,
    base: { pid: process.pid, ...bindings },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    hooks: { streamWrite: redactSecrets },
  };
  return destination ? pino(options, destination) : pino(options);
}
