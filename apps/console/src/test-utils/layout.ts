// jsdom lays nothing out: every height is 0, so virtual rows (components/VirtualRows.tsx) would see an empty frame.
// `fakeLayout` gives table frames, headers and rows the heights a browser would, until the test ends.
import { fireEvent } from "@testing-library/react";
import { act } from "react";
import { afterEach } from "vitest";

export interface FakeLayout {
  /** The visible height of a `.table-frame`. */
  frameHeight: number;
  /** The height of a `<thead>`. */
  headHeight: number;
  /** The height of a body row (rows may differ, as they do in a browser). */
  rowHeight: (row: HTMLTableRowElement) => number;
}

const restores: (() => void)[] = [];
afterEach(() => {
  while (restores.length > 0) restores.pop()!();
});

function stub<K extends "clientHeight" | "offsetHeight">(name: K, height: (element: HTMLElement) => number) {
  const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, name) ??
    Object.getOwnPropertyDescriptor(Element.prototype, name) ?? { configurable: true, get: () => 0 };
  Object.defineProperty(HTMLElement.prototype, name, {
    configurable: true,
    get(this: HTMLElement) {
      return height(this);
    },
  });
  restores.push(() => Object.defineProperty(HTMLElement.prototype, name, original));
}

export function fakeLayout({ frameHeight, headHeight, rowHeight }: FakeLayout) {
  stub("clientHeight", (element) => (element.classList.contains("table-frame") ? frameHeight : 0));
  stub("offsetHeight", (element) => {
    if (element instanceof HTMLTableSectionElement && element.tagName === "THEAD") return headHeight;
    if (element instanceof HTMLTableRowElement) return rowHeight(element);
    return 0;
  });
}

/** Scrolls a frame to `top` (past the end: to the end) as a user would, and lets React render. */
export function scrollFrame(frame: HTMLElement, top: number) {
  act(() => {
    frame.scrollTop = top;
    fireEvent.scroll(frame);
  });
}
