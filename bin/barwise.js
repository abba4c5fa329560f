#!/usr/bin/env node
// barwise runs its TypeScript sources directly: tsx compiles them on load (cached), no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
