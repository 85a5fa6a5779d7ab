#!/usr/bin/env node
// The `syncpoint` command of @syncpoint/cli: runs src/main.ts through tsx, as the repository runs all its TypeScript.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
