// Stored secrets (proxy and SMTP passwords, webhook signing keys) are encrypted with AES-256-GCM under one key:
// SYNCPOINT_SECRET_KEY when set (every process of a scaled-out installation must share it), otherwise a random key
// generated once into DATA_DIR/secret.key (mode 0600). A value that does not decrypt is reported, never guessed.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { registerConfiguredSecret, registerSecret } from "./redact.ts";

const VERSION = "v1";

export class SecretBox {
  private readonly key: Buffer;

  constructor(secret: string | Buffer) {
    // Any string is accepted as the key material; SHA-256 makes it exactly 32 bytes.
    this.key = createHash("sha256").update(secret).digest();
    // The key and every secret that passes through the box are censored in the logs (redact.ts).
    if (typeof secret === "string") registerConfiguredSecret(secret);
  }

  encrypt(plain: string): string {
    registerSecret(plain);
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
  }

  /**
   * A key for another purpose (e.g. signing the SUP endpoints' cookies), derived from this one: the same in every
   * process that shares the key, never the key itself.
   */
  deriveKey(purpose: string): string {
    return createHmac("sha256", this.key).update(`syncpoint:${purpose}`).digest("hex");
  }

  /** Throws when the value was encrypted under another key or was altered. */
  decrypt(sealed: string): string {
    const [version, data] = sealed.split(":", 2);
    if (version !== VERSION || !data) throw new Error("not a secret sealed by Syncpoint");
    const raw = Buffer.from(data, "base64");
    const decipher = createDecipheriv("aes-256-gcm", this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
      registerSecret(plain);
      return plain;
    } catch {
      throw new Error("the secret cannot be decrypted: SYNCPOINT_SECRET_KEY differs from the key it was stored with");
    }
  }
}

/** The key from SYNCPOINT_SECRET_KEY, or the one generated into DATA_DIR on first use. */
export function loadSecretKey(env: { SYNCPOINT_SECRET_KEY?: string }, dataDir: string): string {
  if (env.SYNCPOINT_SECRET_KEY) return env.SYNCPOINT_SECRET_KEY;
  const file = path.join(dataDir, "secret.key");
  try {
    return readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString("hex");
  // "wx": two processes starting together must not overwrite each other's key.
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: "wx" });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(file, "utf8").trim();
    throw error;
  }
}
