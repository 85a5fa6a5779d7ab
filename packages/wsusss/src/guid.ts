// GUIDs arrive in either case (category documents use upper case, revision lists lower case); we store lower case.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The lower-case GUID, or undefined when the value is not one. Surrounding whitespace is ignored. */
export function normalizeGuid(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const lower = value.trim().toLowerCase();
  return GUID.test(lower) ? lower : undefined;
}

/** A non-negative integer written in decimal digits only, or undefined. */
export function parseCount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!/^\d{1,15}$/.test(trimmed)) return undefined;
  return Number(trimmed);
}
