export { createUpstreamApp, upstreamConfig } from "./app.ts";
export { CatalogStore, matchesFilter } from "./catalog/store.ts";
export { generateCatalog } from "./catalog/generate.ts";
