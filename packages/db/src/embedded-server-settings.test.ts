import { describe, expect, it } from "vitest";
import { embeddedServerSettings } from "./embedded-postgres.ts";

const GiB = 1024 ** 3;

describe("embeddedServerSettings", () => {
  it("gives shared_buffers an eighth of the machine's memory, between 128 MB and 2 GB", () => {
    expect(embeddedServerSettings(8 * GiB)).toEqual({ shared_buffers: "1024MB" });
    expect(embeddedServerSettings(24 * GiB)).toEqual({ shared_buffers: "2048MB" });
    expect(embeddedServerSettings(0.5 * GiB)).toEqual({ shared_buffers: "128MB" });
  });
});
