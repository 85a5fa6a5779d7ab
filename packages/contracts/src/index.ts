export * from "./vocabulary.ts";
export * from "./errors.ts";
export * from "./auth.ts";
export * from "./health.ts";
export * from "./sites.ts";
export * from "./status-messages.ts";
