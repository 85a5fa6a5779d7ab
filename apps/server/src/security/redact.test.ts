import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../logger.ts";
import { registerConfiguredSecret, registerSecret, redactSecrets, urlPassword } from "./redact.ts";
import { SecretBox } from "./secret-box.ts";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString("utf8"));
      done();
    },
  });
  return { lines, logger: createLogger("trace", {}, { write: (line: string) => void destination.write(line) }) };
}

describe("log redaction", () => {
  it("censors secret fields wherever a log call passes them", () => {
    const { lines, logger } = capture();
    logger.info(
      {
        password: "field-password-1",
        body: { proxy: { password: "nested-password-2" }, secret: "hook-secret-3" },
        req: { headers: { authorization: "Bearer tok-4", cookie: "syncpoint_session=sess-5" } },
        token: "tok-6",
      },
      "fields",
    );
    const line = lines.join("");
    for (const secret of ["field-password-1", "nested-password-2", "hook-secret-3", "tok-4", "sess-5", "tok-6"]) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain("[redacted]");
  });

  it("censors known secret values anywhere in a line: messages, error texts and stacks, JSON-escaped forms", () => {
    const { lines, logger } = capture();
    registerConfiguredSecret("configured-key-7f3a");
    registerSecret('quote"and\\backslash-9c');
    logger.error({ err: new Error("could not connect with configured-key-7f3a") }, 'msg has quote"and\\backslash-9c');
    const line = lines.join("");
    expect(line).not.toContain("configured-key-7f3a");
    expect(line).not.toContain(JSON.stringify('quote"and\\backslash-9c').slice(1, -1));
    expect(line).toContain('"stack"');
    expect(JSON.parse(line).msg).toBe("msg has [redacted]");
  });

  it("registers every secret that passes through the SecretBox, and its key", () => {
    const box = new SecretBox("box-key-material-1b2c");
    const sealed = box.encrypt("sealed-password-aa11");
    new SecretBox("box-key-material-1b2c").decrypt(sealed);
    expect(redactSecrets("box-key-material-1b2c sealed-password-aa11")).toBe("[redacted] [redacted]");
  });

  it("leaves short values alone (they are censored by field only)", () => {
    registerSecret("false");
    expect(redactSecrets('{"ok":false}')).toBe('{"ok":false}');
  });

  it("reads the password of a connection URL", () => {
    expect(urlPassword("postgres://user:p%40ss@db:5432/x")).toBe("p@ss");
    expect(urlPassword("postgres://user@db/x")).toBeUndefined();
    expect(urlPassword("not a url")).toBeUndefined();
    expect(urlPassword(undefined)).toBeUndefined();
  });
});
