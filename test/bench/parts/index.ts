/** The parts of `npm run bench`, in the order they run. */
import type { BenchPart } from '../report.ts';
import { bundlesPart } from './bundles.ts';
import { consolePart } from './console.ts';

export const PARTS: BenchPart[] = [bundlesPart, consolePart];
