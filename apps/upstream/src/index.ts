export { createUpstreamApp } from "./app.ts";
