/** The parts of `npm run bench`, in the order they run. */
import type { BenchPart } from '../report.ts';
import { consolePart } from './console.ts';
import { contentionPart } from './contention.ts';
import { kbPart } from './kb.ts';
import { mailPart } from './mail.ts';
import { requestsPart } from './requests.ts';
import { throughputPart } from './throughput.ts';

export const PARTS: BenchPart[] = [consolePart, requestsPart, throughputPart, contentionPart, mailPart, kbPart];
