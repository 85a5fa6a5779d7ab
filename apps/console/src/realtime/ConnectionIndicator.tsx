import { useTranslation } from "react-i18next";
import { useRealtimeState } from "./RealtimeProvider.tsx";

/** In the top bar: nothing while live updates flow; "Reconnecting…" while the socket is lost or refused. */
export function ConnectionIndicator() {
  const { t } = useTranslation();
  const { state } = useRealtimeState();
  if (state !== "reconnecting") return null;
  return (
    <span role="status" className="connection-indicator" title={t("realtime.reconnectingHint")}>
      {t("realtime.reconnecting")}
    </span>
  );
}
