// Console tests share the machine with the integration tests in one vitest run (two cores in CI): findBy* and
// waitFor get the time a loaded machine needs instead of testing-library's 1 s.
import { configure } from "@testing-library/react";

configure({ asyncUtilTimeout: 5_000 });
