import { authorization } from './authorization.ts';
import { badInput } from './bad-input.ts';
import { concurrency } from './concurrency.ts';
import { faults } from './faults.ts';
import type { VerifyPromise } from './promise.ts';
import { tokens } from './tokens.ts';

/** Every promise of `npm run verify`, in the order they run. */
export const PROMISES: VerifyPromise[] = [authorization, tokens, badInput, concurrency, faults];
