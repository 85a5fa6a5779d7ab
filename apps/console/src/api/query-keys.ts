// Query-key factory: every cached resource has exactly one key builder, so hooks, mutations and (later) socket
// events invalidate the same keys.
export const queryKeys = {
  me: () => ["auth", "me"] as const,
  sites: () => ["sites"] as const,
};
