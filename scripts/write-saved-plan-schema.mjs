#!/usr/bin/env node
// Writes docs/schema/saved-plan.schema.json from the schema `migrate --plan` checks (src/domain/saved-plan-schema.ts),
// after `npm run build`; test/cli/saved-plan.test.ts fails while the two differ.
import { writeFileSync } from "node:fs";

const { SAVED_PLAN_SCHEMA } = await import(new URL("../dist/domain/saved-plan-schema.js", import.meta.url).href);
writeFileSync(new URL("../docs/schema/saved-plan.schema.json", import.meta.url), `${JSON.stringify(SAVED_PLAN_SCHEMA, null, 2)}\n`);
