import { useRef, type KeyboardEvent } from "react";

/**
 * Single selection in a list view (a `role="grid"` table), as in the Configuration Manager console: click a row, or
 * move with the arrow keys, Home and End (selection follows focus); Space or Enter selects the focused row. One row
 * is in the tab order: the selected one, else the first.
 */
export function useRowSelection(
  keys: readonly string[],
  selected: string | undefined,
  onSelect: (key: string) => void,
) {
  const rows = useRef(new Map<string, HTMLTableRowElement>());
  const tabStop = selected !== undefined && keys.includes(selected) ? selected : keys[0];

  const moveTo = (index: number) => {
    const key = keys[Math.max(0, Math.min(keys.length - 1, index))];
    if (key === undefined) return;
    onSelect(key);
    rows.current.get(key)?.focus();
  };

  return (key: string) => ({
    ref: (row: HTMLTableRowElement | null) => {
      if (row) rows.current.set(key, row);
      else rows.current.delete(key);
    },
    tabIndex: key === tabStop ? 0 : -1,
    "aria-selected": key === selected,
    onClick: () => onSelect(key),
    onKeyDown: (event: KeyboardEvent<HTMLTableRowElement>) => {
      const index = keys.indexOf(key);
      switch (event.key) {
        case "ArrowDown":
          moveTo(index + 1);
          break;
        case "ArrowUp":
          moveTo(index - 1);
          break;
        case "Home":
          moveTo(0);
          break;
        case "End":
          moveTo(keys.length - 1);
          break;
        case " ":
        case "Enter":
          onSelect(key);
          break;
        default:
          return;
      }
      event.preventDefault();
    },
  });
}
