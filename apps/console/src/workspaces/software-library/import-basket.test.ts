import { describe, expect, it } from "vitest";
import { addToBasket, BASKET_LIMIT, loadBasket, parseIdentity, removeFromBasket, saveBasket } from "./import-basket.ts";

const item = (n: number) => ({
  updateId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  revisionNumber: 200,
  title: `Update ${n}`,
  kb: String(5000000 + n),
});

describe("the Import Updates basket", () => {
  it("adds each update once, up to the limit of one import, and removes by id", () => {
    let basket = addToBasket([], item(1));
    basket = addToBasket(basket, item(1));
    expect(basket).toEqual([item(1)]);
    for (let n = 2; n <= BASKET_LIMIT + 5; n++) basket = addToBasket(basket, item(n));
    expect(basket).toHaveLength(BASKET_LIMIT);
    expect(removeFromBasket(basket, item(1).updateId)).toHaveLength(BASKET_LIMIT - 1);
  });

  it("reads an update id with or without braces and any case, and a whole revision number", () => {
    expect(parseIdentity(" {5C5BBB6E-5D72-4B5B-9D0C-B4A5C54DDBF3} ", "201")).toEqual({
      updateId: "5c5bbb6e-5d72-4b5b-9d0c-b4a5c54ddbf3",
      revisionNumber: 201,
    });
    expect(parseIdentity("KB5034441", "1")).toEqual({ error: "updateId" });
    expect(parseIdentity("5c5bbb6e-5d72-4b5b-9d0c-b4a5c54ddbf3", "0")).toEqual({ error: "revision" });
    expect(parseIdentity("5c5bbb6e-5d72-4b5b-9d0c-b4a5c54ddbf3", "1.5")).toEqual({ error: "revision" });
  });

  it("survives in session storage and ignores what is not a basket item", () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    };
    saveBasket([item(1), item(2)], storage);
    expect(loadBasket(storage)).toEqual([item(1), item(2)]);
    store.set("syncpoint.importBasket", JSON.stringify([item(3), { updateId: "x" }, 42]));
    expect(loadBasket(storage)).toEqual([item(3)]);
    store.set("syncpoint.importBasket", "{not json");
    expect(loadBasket(storage)).toEqual([]);
  });
});
