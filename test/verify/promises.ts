import { authorization } from './authorization.ts';
import { badInput } from './bad-input.ts';
import { concurrency } from './concurrency.ts';
import { crash } from './crash.ts';
import { faults } from './faults.ts';
import { fuzz } from './fuzz.ts';
import { mailAbuse } from './mail-abuse.ts';
import type { VerifyPromise } from './promise.ts';
import { supplyChain } from './supply-chain.ts';
import { tokens } from './tokens.ts';

/** Every promise of `npm run verify`, in the order they run. */
export const PROMISES: VerifyPromise[] = [
  authorization,
  tokens,
  badInput,
  concurrency,
  fuzz,
  faults,
  mailAbuse,
  crash,
  supplyChain,
];
