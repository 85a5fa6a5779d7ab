import { hash, verify, type Options } from "@node-rs/argon2";
import { randomBytes } from "node:crypto";

// Algorithm is a const enum the library does not export at runtime; 2 is its Argon2id.
const ARGON2ID = 2 as NonNullable<Options["algorithm"]>;
// OWASP's argon2id baseline (19 MiB, 2 iterations, 1 lane).
const OPTIONS: Options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of nothing anyone knows, verified for unknown users so that a wrong user name costs as long as a wrong password. */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(16).toString("hex"));
  return decoyHash;
}

/** A password people can type: 20 characters from an alphabet without look-alikes (≈ 114 bits). */
export function generatePassword(length = 20): string {
  const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = randomBytes(length * 2);
  let out = "";
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    const b = bytes[i]!;
    // Reject bytes past the largest multiple of the alphabet size, so every character is equally likely.
    if (b < 256 - (256 % alphabet.length)) out += alphabet[b % alphabet.length];
  }
  return out.length === length ? out : generatePassword(length);
}
