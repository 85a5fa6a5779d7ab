export * from "./wsyncmgr-log.ts";
