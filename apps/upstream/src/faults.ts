// Fault injection for tests and demos (POST /admin/faults): make chosen SOAP operations slow or failing, at a rate,
// optionally for a number of calls — every way an upstream fails in the field (domain.md §7.9).
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { HOSTILE_XML_ATTACKS } from "@syncpoint/wsusss";

export const FaultKind = z.enum([
  "latency", // answer after latencyMs
  "http-5xx", // an HTTP error page instead of SOAP (errorCode may name the status, default 503)
  "reset", // drop the connection without an answer
  "soap-fault", // a SOAP fault with errorCode (default InternalServerError)
  "invalid-cookie", // the real InvalidCookie fault, as when a cookie expired or the server restarted
  "malformed", // 200 with XML that does not parse
  "truncated", // the real answer cut in half
  "bad-record", // GetUpdateData: one update document in the answer is corrupt
  "slow-drip", // the real answer, a few bytes at a time, spread over latencyMs
  "hostile-xml", // 200 with the real answer turned into the hostile document named by `document` (wsusss hostile-xml.ts)
  "hostile-record", // GetUpdateData: the first update document in the answer turned into that hostile document
]);

export const FaultRequest = z.object({
  operation: z.string().min(1).max(64),
  kind: FaultKind,
  rate: z.number().min(0).max(1).default(1),
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  count: z.number().int().min(1).optional(),
  errorCode: z.string().max(64).optional(),
  /** For hostile-xml and hostile-record: which attack (default billion-laughs). */
  document: z.enum(HOSTILE_XML_ATTACKS).optional(),
});
export type FaultRequest = z.infer<typeof FaultRequest>;

export interface Fault extends FaultRequest {
  id: string;
  /** Times it fired. */
  hits: number;
}

export class FaultInjector {
  private readonly faults = new Map<string, Fault>();

  constructor(private readonly random: () => number = Math.random) {}

  add(request: FaultRequest): Fault {
    const fault: Fault = { ...request, id: randomUUID(), hits: 0 };
    this.faults.set(fault.id, fault);
    return fault;
  }

  list(): Fault[] {
    return [...this.faults.values()];
  }

  remove(id?: string): boolean {
    if (id === undefined) {
      this.faults.clear();
      return true;
    }
    return this.faults.delete(id);
  }

  /** The faults that fire for this call of `operation` (each counts the hit; spent ones are dropped). */
  draw(operation: string): Fault[] {
    const fired: Fault[] = [];
    for (const fault of this.faults.values()) {
      if (fault.operation !== "*" && fault.operation !== operation) continue;
      if (this.random() >= fault.rate) continue;
      fault.hits++;
      fired.push(fault);
      if (fault.count !== undefined && fault.hits >= fault.count) this.faults.delete(fault.id);
    }
    return fired;
  }
}

/** The SOAP operation a request names (`SOAPAction: "http://www.microsoft.com/SoftwareDistribution/<Op>"`). */
export function operationOf(soapAction: string | undefined): string {
  const action = (soapAction ?? "").replaceAll('"', "");
  return action.slice(action.lastIndexOf("/") + 1) || "unknown";
}
