import { ERROR_CODES, STATUS_MESSAGES, type ErrorCode } from "@syncpoint/contracts";
import i18next from "i18next";
import { describe, expect, it } from "vitest";
import "./index.ts";
import { errorCodeMeaning, statusMessageText } from "./sync-labels.ts";

describe("synchronization labels in en-US", () => {
  it("give every error code the contracts' meaning", () => {
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      expect(errorCodeMeaning(i18next.t, code), code).toBe(ERROR_CODES[code]);
    }
    expect(errorCodeMeaning(i18next.t, "SOMETHING_NEW")).toBeUndefined();
  });

  it("give every status message ID the contracts' text", () => {
    for (const [id, { text }] of Object.entries(STATUS_MESSAGES)) {
      expect(statusMessageText(i18next.t, Number(id)), id).toBe(text);
    }
    expect(statusMessageText(i18next.t, 6799)).toBeUndefined();
  });
});
