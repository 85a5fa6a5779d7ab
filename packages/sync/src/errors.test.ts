import { WsusssLimitError, WsusssProtocolError } from "@syncpoint/wsusss";
import { describe, expect, it } from "vitest";
import { toSyncError } from "./errors.ts";

describe("toSyncError", () => {
  it("tells an answer refused as unsafe from a malformed one", () => {
    const unsafe = toSyncError(
      new WsusssLimitError("refused XML: DOCTYPE and ENTITY declarations are not accepted", "GetConfigData"),
      "upstream.test",
    );
    expect(unsafe.code).toBe("UPSTREAM_UNSAFE_ANSWER");
    expect(unsafe.message).toBe(
      "upstream.test sent an answer that was refused as unsafe: GetConfigData: refused XML: DOCTYPE and ENTITY declarations are not accepted",
    );
    const malformed = toSyncError(
      new WsusssProtocolError("the answer is not valid UTF-8 (at byte 7)", "GetUpdateData"),
      "u",
    );
    expect(malformed.code).toBe("UPSTREAM_PROTOCOL_ERROR");
  });
});
