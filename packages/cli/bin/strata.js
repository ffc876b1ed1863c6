#!/usr/bin/env node
// Entry point of the `strata` command: loads the TypeScript sources (and a project's TypeScript
// assets, ES modules or CommonJS) through tsx.
import { register as registerCjs } from 'tsx/cjs/api';
import { register } from 'tsx/esm/api';

register();
registerCjs();
await import('../src/main.ts');
