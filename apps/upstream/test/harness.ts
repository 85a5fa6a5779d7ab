import type { Server } from "node:http";
import { createUpstreamApp } from "../src/app.ts";
import { CatalogStore, type StoreOptions } from "../src/catalog/store.ts";
import { FaultInjector } from "../src/faults.ts";

export interface RunningUpstream {
  url: string;
  store: CatalogStore;
  faults: FaultInjector;
  close(): Promise<void>;
}

/** The upstream app on 127.0.0.1:0 over real HTTP. */
export async function startUpstream(
  options: Partial<StoreOptions> & { adminToken?: string } = {},
): Promise<RunningUpstream> {
  const store = new CatalogStore({ seed: 3, updates: 300, ...options });
  const faults = new FaultInjector();
  const app = createUpstreamApp({ store, faults, adminToken: options.adminToken });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    faults,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A response's JSON body, loosely typed for assertions (the assertions are the type check). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const json = (response: Response): Promise<any> => response.json();
