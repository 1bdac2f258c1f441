#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx (a dependency), so `npx aft-launcher` works
// straight after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../app/cli/main.ts');
