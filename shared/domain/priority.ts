import type { Level, Priority } from './ticket-fields.ts';

/**
 * Impact × urgency → priority, the ITIL matrix. Rows are impact, columns urgency, both
 * ordered high → low. The matrix is configuration (the admin API will replace it); this is
 * the default every desk starts from.
 */
export type PriorityMatrix = Record<Level, Record<Level, Priority>>;

export const DEFAULT_PRIORITY_MATRIX: PriorityMatrix = {
  high: { high: 'P1', medium: 'P2', low: 'P3' },
  medium: { high: 'P2', medium: 'P3', low: 'P4' },
  low: { high: 'P3', medium: 'P4', low: 'P4' },
};

export const priorityOf = (
  impact: Level,
  urgency: Level,
  matrix: PriorityMatrix = DEFAULT_PRIORITY_MATRIX,
): Priority => matrix[impact][urgency];
