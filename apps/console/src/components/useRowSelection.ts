import { useRef, type KeyboardEvent } from "react";

/**
 * Single selection in a list view (a `role="grid"` table), as in the Configuration Manager console: click a row, or
 * move with the arrow keys, Home and End (selection follows focus); Space or Enter selects the focused row. One row
 * is in the tab order: the selected one, else the first. A row that is not rendered yet (virtual rows) is focused
 * when it is.
 */
export function useRowSelection(
  keys: readonly string[],
  selected: string | undefined,
  onSelect: (key: string) => void,
) {
  const rows = useRef(new Map<string, HTMLTableRowElement>());
  const focusWhenShown = useRef<string | undefined>(undefined);
  const tabStop = selected !== undefined && keys.includes(selected) ? selected : keys[0];

  const moveTo = (index: number) => {
    const key = keys[Math.max(0, Math.min(keys.length - 1, index))];
    if (key === undefined) return;
    onSelect(key);
    const row = rows.current.get(key);
    focusWhenShown.current = row ? undefined : key;
    row?.focus();
  };

  return (key: string) => ({
    ref: (row: HTMLTableRowElement | null) => {
      if (!row) {
        rows.current.delete(key);
        return;
      }
      rows.current.set(key, row);
      if (focusWhenShown.current === key) {
        focusWhenShown.current = undefined;
        row.focus();
      }
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
