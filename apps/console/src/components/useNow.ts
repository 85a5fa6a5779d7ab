import { useSyncExternalStore } from "react";

// One clock for the whole console, ticking once a second while anything shows a running duration.
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => listeners.forEach((l) => l()), 1_000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const still = () => () => undefined;

/**
 * The current time (ms, to the second), re-rendering every second while `ticking`: for elapsed times of running
 * synchronizations.
 */
export function useNow(ticking = true): number {
  return useSyncExternalStore(ticking ? subscribe : still, () => Math.floor(Date.now() / 1_000) * 1_000);
}
