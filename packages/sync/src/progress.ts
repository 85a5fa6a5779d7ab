// One percentage for a whole run, from the phase and the progress inside it. Fetching update bodies dominates a
// sync, so it gets most of the bar; the weights are rough shares of a typical run's time.
import { RUN_PHASES, type RunPhase } from "@syncpoint/contracts";

const WEIGHTS: Record<RunPhase, number> = {
  authorize: 2,
  config: 2,
  categories: 6,
  revisions: 5,
  updates: 65,
  apply: 12,
  supersedence: 4,
  commit: 2,
  notify: 2,
};
const TOTAL = RUN_PHASES.reduce((sum, p) => sum + WEIGHTS[p], 0);

export function overallPercent(phase: RunPhase, processed: number, total: number): number {
  let before = 0;
  for (const p of RUN_PHASES) {
    if (p === phase) break;
    before += WEIGHTS[p];
  }
  const inPhase = total > 0 ? Math.min(1, Math.max(0, processed / total)) : 0;
  return Math.min(100, Math.floor(((before + inPhase * WEIGHTS[phase]) / TOTAL) * 100));
}

/** Seconds left at the average rate so far; undefined until there is a rate to go by. */
export function estimateSecondsLeft(processed: number, total: number, elapsedMs: number): number | undefined {
  if (processed <= 0 || elapsedMs <= 0 || processed >= total) return processed >= total ? 0 : undefined;
  return Math.round(((total - processed) * elapsedMs) / processed / 1000);
}
