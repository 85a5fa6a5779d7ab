export * from "./wsyncmgr-log.ts";
export * from "./progress.ts";
export * from "./ports.ts";
export * from "./errors.ts";
export * from "./engine.ts";
export * from "./retrying.ts";
export * from "./catalog-import.ts";
