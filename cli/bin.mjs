#!/usr/bin/env node
// `npx tierdesk`: runs the TypeScript CLI through tsx, as `npm start` and `npm run token` do, so a
// clone needs no build step after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
