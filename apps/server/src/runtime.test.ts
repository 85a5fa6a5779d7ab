import { describe, expect, it } from "vitest";
import { poolSize } from "./runtime.ts";

describe("poolSize", () => {
  it("gives an API process room for 8 list requests and its adapter, a worker three connections per run slot", () => {
    expect(poolSize("api", { WORKER_CONCURRENCY: 4 })).toBe(10);
    expect(poolSize("worker", { WORKER_CONCURRENCY: 1 })).toBe(6);
    expect(poolSize("worker", { WORKER_CONCURRENCY: 4 })).toBe(15);
    expect(poolSize("all", { WORKER_CONCURRENCY: 1 })).toBe(16);
  });
});
