import { lazy, Suspense } from "react";
import { useSupSettings } from "../api/settings.ts";

// Its own chunk: most of the time the schedules run, and the console's first load need not carry the banner.
const PausedBanner = lazy(() => import("./PausedBanner.tsx"));

/**
 * Across every page while "Pause all schedules" is on: nothing synchronizes by itself then, which is easy to forget
 * after a maintenance window. Resume is right there, for those allowed to change the settings.
 */
export function SchedulesPausedBanner() {
  const settings = useSupSettings({ poll: true }).data;
  if (!settings?.schedulesPaused) return null;
  return (
    <Suspense fallback={null}>
      <PausedBanner settings={settings} />
    </Suspense>
  );
}
