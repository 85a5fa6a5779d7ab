// The basket of Import Updates: what the administrator picked from the catalog, kept for the browser tab (session
// storage) so that a search, a look at All Software Updates or a reload does not empty it.

export interface BasketItem {
  updateId: string;
  revisionNumber: number;
  title: string;
  kb: string | null;
}

/** As many as one import takes (POST /api/imported-updates). */
export const BASKET_LIMIT = 100;
const STORAGE_KEY = "syncpoint.importBasket";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function addToBasket(basket: readonly BasketItem[], item: BasketItem): BasketItem[] {
  if (basket.length >= BASKET_LIMIT || basket.some((b) => b.updateId === item.updateId)) return [...basket];
  return [...basket, item];
}

export function removeFromBasket(basket: readonly BasketItem[], updateId: string): BasketItem[] {
  return basket.filter((b) => b.updateId !== updateId);
}

export type IdentityError = "updateId" | "revision";

/** "Import by update ID": a GUID and a revision number as typed, or which of the two is wrong. */
export function parseIdentity(
  updateIdText: string,
  revisionText: string,
): { updateId: string; revisionNumber: number } | { error: IdentityError } {
  const updateId = updateIdText
    .trim()
    .toLowerCase()
    .replace(/^\{|\}$/g, "");
  if (!GUID.test(updateId)) return { error: "updateId" };
  const revisionNumber = Number(revisionText.trim());
  if (!Number.isInteger(revisionNumber) || revisionNumber < 1 || revisionNumber > 2_147_483_647)
    return { error: "revision" };
  return { updateId, revisionNumber };
}

const isItem = (value: unknown): value is BasketItem => {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.updateId === "string" &&
    GUID.test(v.updateId) &&
    typeof v.revisionNumber === "number" &&
    Number.isInteger(v.revisionNumber) &&
    typeof v.title === "string" &&
    (v.kb === null || typeof v.kb === "string")
  );
};

export function loadBasket(storage: Pick<Storage, "getItem"> | undefined = globalThis.sessionStorage): BasketItem[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(STORAGE_KEY) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter(isItem).slice(0, BASKET_LIMIT) : [];
  } catch {
    return [];
  }
}

export function saveBasket(
  basket: readonly BasketItem[],
  storage: Pick<Storage, "setItem"> | undefined = globalThis.sessionStorage,
): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(basket));
  } catch {
    // Storage full or refused (private mode): the basket lives as long as the page.
  }
}
