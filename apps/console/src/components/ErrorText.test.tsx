// A failed call reads in the console's language — the sentence for its error code, with the fields a 400 names and
// how long a sign-in is locked — and keeps the server's own message (English) as the detail under it.
import { cleanup, render } from "@testing-library/react";
import i18next from "i18next";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "../api/client.ts";
import { errorText, serverErrorDetail } from "../api/error-text.ts";
import { setLocale } from "../i18n/index.ts";
import { ErrorText } from "./ErrorText.tsx";

afterEach(async () => {
  cleanup();
  await setLocale("en-US");
});

/** An error as the client makes it from the server's envelope. */
const fromServer = (status: number, code: string, message: string, details?: unknown) =>
  new ApiError(status, code, message, [], details, true);

const alreadyActive = fromServer(409, "SYNC_ALREADY_ACTIVE", "A synchronization of CAS is already running.", {
  runId: "3f2b9c1e-8a4d-4e2f-9b1a-0c5d7e6f8a90",
});
const invalid = new ApiError(
  400,
  "VALIDATION_FAILED",
  "body.name: String must contain at most 64 characters",
  [
    { field: "body.name", message: "String must contain at most 64 characters" },
    { field: "body.sup.serverName", message: "enter a host name" },
  ],
  undefined,
  true,
);

function shown(error: unknown) {
  const { container } = render(
    <p>
      <ErrorText error={error} />
    </p>,
  );
  const paragraph = container.querySelector("p")!;
  return {
    text: paragraph.firstChild?.textContent,
    detail: paragraph.querySelector(".error-detail")?.textContent,
    detailLang: paragraph.querySelector(".error-detail [lang]")?.getAttribute("lang"),
  };
}

describe("ErrorText", () => {
  it("says what the error code means in German, and keeps the server's message and code under it", async () => {
    await setLocale("de-DE");
    expect(shown(alreadyActive)).toEqual({
      text: "Für diesen Standort ist bereits eine Synchronisierung in der Warteschlange oder wird ausgeführt.",
      detail: "Meldung des Servers (SYNC_ALREADY_ACTIVE): A synchronization of CAS is already running.",
      detailLang: "en",
    });
  });

  it("names the fields a 400 refused, as the API names them", async () => {
    await setLocale("de-DE");
    expect(shown(invalid).text).toBe("Einige Werte wurden nicht akzeptiert: name, sup.serverName.");
    expect(shown(invalid).detail).toBe(
      "Meldung des Servers (VALIDATION_FAILED): body.name: String must contain at most 64 characters",
    );
    await setLocale("it-IT");
    const one = new ApiError(
      400,
      "VALIDATION_FAILED",
      "query.page: too big",
      [{ field: "query.page", message: "too big" }],
      undefined,
      true,
    );
    expect(errorText(i18next.t, one)).toBe("Un valore non è stato accettato: query.page.");
  });

  it("says how long a locked sign-in waits, in words of the language", async () => {
    await setLocale("sv-SE");
    const locked = fromServer(
      429,
      "LOGIN_LOCKED",
      "Too many failed sign-ins for this user from this address. Try again in 10 minutes.",
      { retryAfterSeconds: 541, lockedUntil: "2026-11-24T10:09:01.000Z" },
    );
    expect(shown(locked).text).toBe(
      "För många misslyckade inloggningar för den här användaren från den här adressen. Försök igen om 10 minuter.",
    );
  });

  it("shows a code it does not know in the server's words, with nothing under it", async () => {
    await setLocale("zh-CN");
    const newer = fromServer(409, "PACKAGE_ALREADY_APPLIED", "The update package was applied already.");
    expect(shown(newer)).toEqual({
      text: "The update package was applied already.",
      detail: undefined,
      detailLang: undefined,
    });
    expect(serverErrorDetail(newer)).toBeUndefined();
  });

  it("adds no detail when the server's message is just the code's general meaning", async () => {
    await setLocale("nl-NL");
    const mustChange = fromServer(403, "PASSWORD_CHANGE_REQUIRED", "Change your password before doing anything else.");
    expect(serverErrorDetail(mustChange)).toBeUndefined();
    expect(shown(mustChange).detail).toBeUndefined();
    expect(shown(mustChange).text).not.toBe(mustChange.message);
  });

  it("translates what the client saw when no envelope came", async () => {
    await setLocale("de-DE");
    expect(shown(new ApiError(0, "NETWORK_ERROR", "GET /api/sites: no response (TypeError)"))).toEqual({
      text: "Der Syncpoint-Server ist nicht erreichbar. Überprüfen Sie die Verbindung, und versuchen Sie es erneut.",
      detail: undefined,
      detailLang: undefined,
    });
    expect(shown(new Error("boom")).text).toBe("Ein unerwarteter Fehler ist aufgetreten.");
  });

  it("reads the same in English: the sentence, then the specifics", () => {
    expect(shown(alreadyActive)).toEqual({
      text: "A synchronization is already queued or running for this site.",
      detail: "Server message (SYNC_ALREADY_ACTIVE): A synchronization of CAS is already running.",
      detailLang: "en",
    });
    expect(errorText(i18next.t, invalid)).toBe("Some values were not accepted: name, sup.serverName.");
  });
});
