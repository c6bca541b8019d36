#!/usr/bin/env node
// Entry point: registers the TypeScript loader (tsx) so the CLI runs from source, no build step.
import { register } from 'tsx/esm/api';

register();
await import('../scripts/cli.ts');
