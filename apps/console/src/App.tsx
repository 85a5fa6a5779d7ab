import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { connectSessionExpiry } from "./api/query-client.ts";
import { RequireAuth, RequirePasswordChanged } from "./auth/guards.tsx";
import { LoginPage } from "./auth/LoginPage.tsx";
import { DEFAULT_PATH } from "./auth/next-path.ts";
import { FullPageStatus } from "./components/FullPageStatus.tsx";
import { ConsoleLayout } from "./layout/ConsoleLayout.tsx";
import { NotFoundPage } from "./layout/NotFoundPage.tsx";
import { RealtimeTransportContext } from "./realtime/RealtimeProvider.tsx";
import type { RealtimeTransport } from "./realtime/transport.ts";

// Each workspace is its own chunk, loaded on first visit; so is the change-password page (it brings the contracts'
// validation constants, and with them zod).
const AdministrationWorkspace = lazy(() => import("./workspaces/administration/AdministrationWorkspace.tsx"));
const SoftwareLibraryWorkspace = lazy(() => import("./workspaces/software-library/SoftwareLibraryWorkspace.tsx"));
const MonitoringWorkspace = lazy(() => import("./workspaces/monitoring/MonitoringWorkspace.tsx"));
const ChangePasswordPage = lazy(() => import("./auth/ChangePasswordPage.tsx"));

export function AppRoutes() {
  const { t } = useTranslation();
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<RequireAuth />}>
        <Route
          path="/change-password"
          element={
            <Suspense fallback={<FullPageStatus>{t("common.loading")}</FullPageStatus>}>
              <ChangePasswordPage />
            </Suspense>
          }
        />
        <Route element={<RequirePasswordChanged />}>
          <Route element={<ConsoleLayout />}>
            <Route index element={<Navigate to={DEFAULT_PATH} replace />} />
            <Route path="administration/*" element={<AdministrationWorkspace />} />
            <Route path="software-library/*" element={<SoftwareLibraryWorkspace />} />
            <Route path="monitoring/*" element={<MonitoringWorkspace />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Route>
      </Route>
    </Routes>
  );
}

/**
 * Query cache and session-expiry handling; the router is given by the caller (browser or memory in tests), and so is
 * the socket in tests (`realtime`; socket.io otherwise).
 */
export function AppProviders({
  queryClient,
  realtime,
  children,
}: {
  queryClient: QueryClient;
  realtime?: RealtimeTransport;
  children: ReactNode;
}) {
  useEffect(() => connectSessionExpiry(queryClient), [queryClient]);
  const content = <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
  return realtime ? (
    <RealtimeTransportContext.Provider value={realtime}>{content}</RealtimeTransportContext.Provider>
  ) : (
    content
  );
}

export function App({ queryClient }: { queryClient: QueryClient }) {
  return (
    <AppProviders queryClient={queryClient}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </AppProviders>
  );
}
