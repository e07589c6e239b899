/** The parts of `npm run bench`, in the order they run. */
import type { BenchPart } from '../report.ts';
import { consolePart } from './console.ts';
import { itemsPart } from './items.ts';

export const PARTS: BenchPart[] = [consolePart, itemsPart];
