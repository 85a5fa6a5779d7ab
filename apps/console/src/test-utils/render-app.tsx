import { render } from "@testing-library/react";
import { MemoryRouter, useLocation } from "react-router";
import { AppProviders, AppRoutes } from "../App.tsx";
import { createQueryClient } from "../api/query-client.ts";
import "../i18n/index.ts";
import { fakeRealtime, type FakeRealtime } from "./fake-realtime.ts";

/**
 * The whole console at `path`, in a memory router with a fresh cache and a fake socket (connected unless the test
 * gives another). `location()` is where the router is now.
 */
export function renderApp(path: string, { realtime = fakeRealtime() }: { realtime?: FakeRealtime } = {}) {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { retry: false, staleTime: Infinity } });
  let current = { pathname: "", search: "" };
  function LocationProbe() {
    const location = useLocation();
    current = { pathname: location.pathname, search: location.search };
    return null;
  }
  const view = render(
    <AppProviders queryClient={queryClient} realtime={realtime.transport}>
      <MemoryRouter initialEntries={[path]}>
        <AppRoutes />
        <LocationProbe />
      </MemoryRouter>
    </AppProviders>,
  );
  return { ...view, queryClient, realtime, location: () => current };
}
