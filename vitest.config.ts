// Two projects: `unit` (no database; console tests in jsdom) and `integration` (a real embedded PostgreSQL started
// once in globalSetup; each test file clones its own database from a migrated template). Playwright e2e runs apart.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Four files at once on a 2-core machine: integration tests mostly wait on Postgres, child processes and
    // sockets, so one worker per core left the CPUs half idle (measured on a fresh clone: 647 s serial, 316 s with
    // three workers; with today's suite 372 s with three, 329 s with four).
    maxWorkers: 4,
    projects: [
      {
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts", "apps/*/test/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/node_modules/**", "apps/console/**"],
          environment: "node",
        },
      },
      {
        test: {
          name: "console",
          include: ["apps/console/src/**/*.test.{ts,tsx}"],
          environment: "jsdom",
          setupFiles: ["./apps/console/src/test-utils/setup.ts"],
          // A page test awaits several queries of 5 s each (setup.ts) while integration files hold the CPUs: the
          // 5 s default cut such tests off mid-way under CI load, before any of their assertions could say why.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "integration",
          // The files share each vitest worker's module graph instead of importing the server afresh (that import
          // cost 154 s of a 335 s run; 252 s without it). Safe because no integration test mocks modules or sets
          // process.env, and each file has its own database, server and AppContext; what the server caches per
          // process is keyed by database rows (catalog-totals) or by context (metrics).
          isolate: false,
          include: ["packages/*/src/**/*.int.test.ts", "apps/*/src/**/*.int.test.ts", "apps/*/test/**/*.int.test.ts"],
          environment: "node",
          globalSetup: ["./packages/db/src/testing/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
