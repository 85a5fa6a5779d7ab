// Libraries the benchmarks borrow from workspace packages instead of depending on them: socket.io-client (as the
// server's tests use it) and Playwright (the e2e package's, driving Debian's Chromium). Loaded from where those
// packages resolve them; typed here with just what the benchmarks call (pnpm keeps their own types' dependencies out
// of reach from bench/).
import { createRequire } from "node:module";

export interface ClientSocket {
  on(event: string, listener: (...args: never[]) => void): ClientSocket;
  once(event: string, listener: (...args: never[]) => void): ClientSocket;
  close(): void;
}

export type Connect = (
  url: string,
  options: { transports: string[]; forceNew?: boolean; reconnection: boolean; auth: { token: string } },
) => ClientSocket;

export const io: Connect = (
  createRequire(new URL("../apps/server/package.json", import.meta.url))("socket.io-client") as { io: Connect }
).io;

export interface PwResponse {
  ok(): boolean;
  status(): number;
}

export interface PwPage {
  goto(url: string): Promise<unknown>;
  reload(): Promise<unknown>;
  waitForFunction<T>(fn: () => T, arg: null, options: { timeout: number }): Promise<unknown>;
  evaluate<T>(fn: () => T): Promise<T>;
  getByRole(role: string, options: { name: string }): { getAttribute(name: string): Promise<string | null> };
}

export interface PwContext {
  addInitScript(script: { content: string }): Promise<void>;
  request: { post(url: string, options: { data: unknown }): Promise<PwResponse> };
  newPage(): Promise<PwPage>;
  close(): Promise<void>;
}

export interface PwBrowser {
  newContext(options: {
    baseURL: string;
    locale: string;
    viewport: { width: number; height: number };
  }): Promise<PwContext>;
  close(): Promise<void>;
}

export interface Chromium {
  launch(options: { executablePath: string; args: string[] }): Promise<PwBrowser>;
}

/** Playwright's Chromium launcher, loaded on first use (only the console benchmark needs it). */
export function chromium(): Chromium {
  return (
    createRequire(new URL("../e2e/package.json", import.meta.url))("@playwright/test") as {
      chromium: Chromium;
    }
  ).chromium;
}
