// The server's cookies. Both the DSS authorization cookie (CookieData) and the session cookie (EncryptedData) are
// opaque to the client, so we make them self-contained: base64 of a version byte, a JSON payload holding the expiry,
// and an HMAC-SHA256 over both. No server-side session table, and a restart with the same secret keeps sessions.
// The payload is signed, not encrypted: it holds nothing secret (account name and id, expiry).
import { createHmac, timingSafeEqual } from "node:crypto";

export type TokenKind = "authorization" | "session";

export interface TokenClaims {
  kind: TokenKind;
  accountName: string;
  accountGuid: string;
  /** Milliseconds since the epoch. The client's own Expiration element is never trusted. */
  expiresAt: number;
}

const VERSION = 1;
const MAC_BYTES = 32;
const MAX_TOKEN_CHARS = 4096;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export class TokenSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (secret.length < 16) throw new RangeError("cookieSecret must be at least 16 characters");
    this.key = Buffer.from(secret, "utf8");
  }

  issue(claims: TokenClaims): string {
    const body = Buffer.concat([Buffer.from([VERSION]), Buffer.from(JSON.stringify(claims), "utf8")]);
    return Buffer.concat([body, this.mac(body)]).toString("base64");
  }

  /** The claims of a genuine, unexpired token of the given kind; undefined for anything else. */
  verify(token: string, kind: TokenKind, now: Date): TokenClaims | undefined {
    if (token.length > MAX_TOKEN_CHARS || token.length % 4 !== 0 || !BASE64.test(token)) return undefined;
    const bytes = Buffer.from(token, "base64");
    if (bytes.length <= MAC_BYTES + 1 || bytes[0] !== VERSION) return undefined;
    const body = bytes.subarray(0, bytes.length - MAC_BYTES);
    const mac = bytes.subarray(bytes.length - MAC_BYTES);
    if (!timingSafeEqual(mac, this.mac(body))) return undefined;
    let claims: TokenClaims;
    try {
      claims = JSON.parse(body.subarray(1).toString("utf8")) as TokenClaims;
    } catch {
      return undefined;
    }
    if (claims.kind !== kind || typeof claims.expiresAt !== "number") return undefined;
    return claims.expiresAt > now.getTime() ? claims : undefined;
  }

  private mac(body: Buffer): Buffer {
    return createHmac("sha256", this.key).update(body).digest();
  }
}
