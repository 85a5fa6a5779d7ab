import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSecretKey, SecretBox } from "./secret-box.ts";

describe("SecretBox", () => {
  it("round-trips a secret and never stores it in the clear", () => {
    const box = new SecretBox("k");
    const sealed = box.encrypt("proxy pässword");
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain("pässword");
    expect(box.decrypt(sealed)).toBe("proxy pässword");
    expect(box.encrypt("x")).not.toBe(box.encrypt("x")); // a fresh IV each time
  });

  it("refuses a value sealed under another key, or altered", () => {
    const sealed = new SecretBox("one").encrypt("secret");
    expect(() => new SecretBox("two").decrypt(sealed)).toThrow(/SYNCPOINT_SECRET_KEY differs/);
    const altered = sealed.slice(0, -4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect(() => new SecretBox("one").decrypt(altered)).toThrow();
    expect(() => new SecretBox("one").decrypt("plain text")).toThrow(/not a secret sealed/);
  });
});

describe("loadSecretKey", () => {
  it("prefers SYNCPOINT_SECRET_KEY", () => {
    expect(loadSecretKey({ SYNCPOINT_SECRET_KEY: "from env" }, "/nonexistent")).toBe("from env");
  });

  it("generates a key into DATA_DIR once (mode 0600) and reuses it", () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "secret-")), "data");
    const first = loadSecretKey({}, dir);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(loadSecretKey({}, dir)).toBe(first);
    expect(readFileSync(path.join(dir, "secret.key"), "utf8").trim()).toBe(first);
    expect(statSync(path.join(dir, "secret.key")).mode & 0o777).toBe(0o600);
  });
});
