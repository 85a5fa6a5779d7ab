// What Test connection found: connected (where, which protocol version) or the step that failed and why, with each
// step of the MS-WSUSSS auth chain. Shown by Administration › Synchronization Schedule (a page: its heading is an h2)
// and by the component properties' Sync Settings tab (inside the dialog's sections: an h3).
import type { TestConnectionResult } from "@syncpoint/contracts";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { errorCodeMeaning } from "../../i18n/sync-labels.ts";

const STEPS = ["GetAuthConfig", "GetAuthorizationCookie", "GetCookie", "GetConfigData"] as const;

export function ConnectionTestResult({
  result,
  headingLevel = 3,
}: {
  result: TestConnectionResult;
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const { t } = useTranslation();
  const headingId = useId();
  const failedStep = result.steps.find((step) => !step.ok)?.step;
  const meaning = result.errorCode ? errorCodeMeaning(t, result.errorCode) : undefined;
  return (
    <section
      aria-labelledby={headingId}
      className={`connection-result connection-result--${result.ok ? "ok" : "failed"}`}
    >
      <Heading id={headingId} className="connection-result__title">
        {result.ok
          ? t("syncSchedule.test.succeeded", { url: result.url ?? "" })
          : failedStep
            ? t("syncSchedule.test.failedAt", { step: failedStep })
            : t("syncSchedule.test.failed")}
      </Heading>
      {result.ok ? (
        // The server's message repeats the heading (where to) with the protocol version, which is worded here.
        result.protocolVersion && <p>{t("syncSchedule.test.protocolVersion", { version: result.protocolVersion })}</p>
      ) : (
        <>
          {/* The code's meaning in the console's language; under it the server's message (specifics, in English). */}
          <p>{meaning ?? result.message}</p>
          {result.errorCode && (
            <p className="muted">
              <code>{result.errorCode}</code>
              {meaning && (
                <>
                  {" "}
                  <span lang="en">{result.message}</span>
                </>
              )}
            </p>
          )}
          {result.url && <p className="muted">{t("syncSchedule.test.source", { url: result.url })}</p>}
        </>
      )}
      <ol className="connection-steps" aria-label={t("syncSchedule.test.steps")}>
        {STEPS.map((name) => {
          const step = result.steps.find((s) => s.step === name);
          const outcome = !step ? "skipped" : step.ok ? "ok" : "failed";
          return (
            <li key={name} className={`connection-step connection-step--${outcome}`}>
              <span aria-hidden="true" className="connection-step__mark">
                {outcome === "ok" ? "✓" : outcome === "failed" ? "✗" : "–"}
              </span>
              <span className="connection-step__name">{name}</span>
              <span className="connection-step__outcome">
                {outcome === "ok"
                  ? t("syncSchedule.test.stepOk", { ms: step!.ms })
                  : outcome === "failed"
                    ? t("syncSchedule.test.stepFailed", { ms: step!.ms })
                    : t("syncSchedule.test.stepSkipped")}
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
