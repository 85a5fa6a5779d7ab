import { defaultRangeExtractor, useVirtualizer, type Range } from "@tanstack/react-virtual";
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode } from "react";

/** Up to this many rows every row is rendered: nothing to gain, and the browser's Find sees them all. */
export const RENDER_ALL_UP_TO = 100;
/** Rows rendered beyond each edge of the frame, so that Tab and the arrow keys find the next row in the DOM. */
const OVERSCAN = 8;

/** What a body row spreads onto its `<tr>` (its `ref` measures it; compose it with another ref if the row has one). */
export interface VirtualRowProps {
  ref?: (row: HTMLTableRowElement | null) => void;
  "data-index"?: number;
  "aria-rowindex": number;
}

export interface VirtualRowsOptions {
  /** One stable key per row, in order (the measured heights follow a row that moves). */
  keys: readonly string[];
  /** A row's height before it is measured, in pixels. */
  estimateRowHeight: number;
  /** How many columns a spacer row spans. */
  columns: number;
  /** Rows kept rendered wherever the frame is scrolled (the selected row, which is the list's tab stop). */
  pinned?: readonly (string | undefined)[];
  /** When this changes (another page, sort or filter), the frame scrolls back to the top. */
  scrollResetKey?: string;
}

/**
 * Virtual rows for a semantic `<table>` scrolled in its `.table-frame` (@tanstack/react-virtual): only the rows in
 * and near the frame's view are in the DOM, between spacer rows that keep the scroll height; rows are measured, so
 * they may differ in height. The header stays at the top of the frame (sticky), `aria-rowcount` and `aria-rowindex`
 * tell assistive technology the whole count, and the row that holds focus (and any pinned row) stays rendered. Up
 * to `RENDER_ALL_UP_TO` rows are all rendered.
 *
 * ```tsx
 * const virtual = useVirtualRows({ keys, estimateRowHeight: 40, columns: 8 });
 * <div {...virtual.frameProps}>
 *   <table {...virtual.tableProps}>
 *     <thead {...virtual.headProps}><tr {...virtual.headerRowProps}>…</tr></thead>
 *     <tbody>{virtual.rows((index, props) => <tr key={keys[index]} {...props}>…</tr>)}</tbody>
 * ```
 */
export function useVirtualRows({ keys, estimateRowHeight, columns, pinned = [], scrollResetKey }: VirtualRowsOptions) {
  const frame = useRef<HTMLDivElement | null>(null);
  const [headHeight, setHeadHeight] = useState(0);
  const [focusedKey, setFocusedKey] = useState<string>();
  // For the focus listener, which runs after render.
  const keysRef = useRef(keys);
  useEffect(() => {
    keysRef.current = keys;
  });
  const count = keys.length;
  const virtualize = count > RENDER_ALL_UP_TO;

  const kept = [...pinned, focusedKey]
    .map((key) => (virtualize && key !== undefined ? keys.indexOf(key) : -1))
    .filter((index) => index >= 0);
  const keptId = kept.join(",");
  const rangeExtractor = useMemo(() => {
    const extra = keptId ? keptId.split(",").map(Number) : [];
    return (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      const missing = extra.filter((index) => index < range.count && !indexes.includes(index));
      return missing.length === 0 ? indexes : [...indexes, ...missing].sort((a, b) => a - b);
    };
  }, [keptId]);

  // A stable function while the rows are the same: the virtualizer recomputes the offsets when it changes.
  const getItemKey = useCallback((index: number) => keys[index] ?? index, [keys]);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; its items are read each render
  const virtualizer = useVirtualizer<HTMLDivElement, HTMLTableRowElement>({
    count,
    enabled: virtualize,
    getScrollElement: () => frame.current,
    estimateSize: () => estimateRowHeight,
    getItemKey,
    overscan: OVERSCAN,
    // The body starts below the header: row offsets count from the frame's top, and scrolling to a row leaves it
    // below the sticky header.
    scrollMargin: headHeight,
    scrollPaddingStart: headHeight,
    rangeExtractor,
  });

  useEffect(() => {
    if (frame.current) frame.current.scrollTop = 0;
  }, [scrollResetKey]);

  /** The frame: the scroll container; remembers which row holds focus, so that it is not unmounted. */
  const observeFrame = useCallback((element: HTMLDivElement | null) => {
    frame.current = element;
    if (!element) return;
    const onFocusIn = (event: FocusEvent) => {
      const row = event.target instanceof Element ? event.target.closest("tr[data-index]") : null;
      const key = row ? keysRef.current[Number(row.getAttribute("data-index"))] : undefined;
      setFocusedKey(key);
    };
    const onFocusOut = (event: FocusEvent) => {
      if (!(event.relatedTarget instanceof Node && element.contains(event.relatedTarget))) setFocusedKey(undefined);
    };
    element.addEventListener("focusin", onFocusIn);
    element.addEventListener("focusout", onFocusOut);
    return () => {
      element.removeEventListener("focusin", onFocusIn);
      element.removeEventListener("focusout", onFocusOut);
    };
  }, []);

  /** The `<thead>`: its height is where the body starts. */
  const measureHead = useCallback((head: HTMLTableSectionElement | null) => {
    if (!head) return;
    const read = () => setHeadHeight(head.offsetHeight);
    read();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(read);
    observer.observe(head);
    return () => observer.disconnect();
  }, []);

  const spacer = (key: string, height: number) => (
    <tr key={key} aria-hidden="true" className="virtual-rows__spacer">
      <td colSpan={columns} style={{ height }} />
    </tr>
  );

  /** The body's rows: `render(index, props)` for each row in the window, spacer rows around them. */
  const rows = (render: (index: number, props: VirtualRowProps) => ReactNode): ReactNode[] => {
    if (!virtualize) return keys.map((_, index) => render(index, { "aria-rowindex": index + 2 }));
    // Offsets count from the frame's top: the body starts at scrollMargin (the header's height).
    const start = virtualizer.options.scrollMargin;
    const out: ReactNode[] = [];
    let end = start;
    for (const item of virtualizer.getVirtualItems()) {
      if (item.start > end) out.push(spacer(`\0spacer-before-${item.index}`, item.start - end));
      out.push(
        render(item.index, {
          ref: virtualizer.measureElement,
          "data-index": item.index,
          "aria-rowindex": item.index + 2,
        }),
      );
      end = item.end;
    }
    const listEnd = start + virtualizer.getTotalSize();
    if (listEnd > end) out.push(spacer("\0spacer-after", listEnd - end));
    return out;
  };

  const frameStyle: CSSProperties = { scrollPaddingTop: headHeight };
  return {
    frameProps: { ref: observeFrame, className: "table-frame table-frame--virtual", style: frameStyle },
    headProps: { ref: measureHead },
    /** The whole count, the header row included. */
    tableProps: { "aria-rowcount": count + 1 },
    headerRowProps: { "aria-rowindex": 1 },
    rows,
  };
}
