/** The parts of `npm run bench`, in the order they run: the gated parts first. */
import type { BenchPart } from '../report.ts';
import { bundlesPart } from './bundles.ts';
import { consolePart } from './console.ts';
import { contentionPart } from './contention.ts';
import { itemsPart } from './items.ts';
import { kbPart } from './kb.ts';
import { mailPart } from './mail.ts';
import { requestsPart } from './requests.ts';
import { throughputPart } from './throughput.ts';
import { workflowPart } from './workflow.ts';

export const PARTS: BenchPart[] = [
  bundlesPart,
  consolePart,
  requestsPart,
  itemsPart,
  workflowPart,
  throughputPart,
  contentionPart,
  mailPart,
  kbPart,
];
