import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Outlet, useLocation } from "react-router";
import { ErrorBoundary } from "../components/ErrorBoundary.tsx";
import { RealtimeProvider } from "../realtime/RealtimeProvider.tsx";
import { NavigationPane } from "./NavigationPane.tsx";
import { SchedulesPausedBanner } from "./SchedulesPausedBanner.tsx";
import { TopBar } from "./TopBar.tsx";

/**
 * The console frame, as in Configuration Manager: top bar, navigation pane on the left, the selected node on the right.
 * The realtime session (one socket while signed in) lives here, so that it ends when the user signs out.
 */
export function ConsoleLayout() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  return (
    <RealtimeProvider>
      <div className="console">
        <a href="#main" className="skip-link">
          {t("app.skipToMain")}
        </a>
        <TopBar />
        <SchedulesPausedBanner />
        <div className="console__body">
          <NavigationPane />
          <main id="main" className="console__main" tabIndex={-1}>
            <ErrorBoundary
              resetKey={pathname}
              fallback={() => (
                <div role="alert" className="message message--error">
                  <p>{t("common.pageLoadFailed")}</p>
                  <button type="button" className="button" onClick={() => window.location.reload()}>
                    {t("common.reload")}
                  </button>
                </div>
              )}
            >
              <Suspense
                fallback={
                  <p role="status" className="state-message">
                    {t("common.loading")}
                  </p>
                }
              >
                <Outlet />
              </Suspense>
            </ErrorBoundary>
          </main>
        </div>
      </div>
    </RealtimeProvider>
  );
}
