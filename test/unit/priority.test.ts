import { describe, expect, it } from 'vitest';
import { DEFAULT_PRIORITY_MATRIX, priorityOf } from '#shared/domain/priority';
import type { Level, Priority } from '#shared/domain/ticket-fields';

describe('Function: priorityOf', () => {
  const table: [Level, Level, Priority][] = [
    ['high', 'high', 'P1'],
    ['high', 'medium', 'P2'],
    ['high', 'low', 'P3'],
    ['medium', 'high', 'P2'],
    ['medium', 'medium', 'P3'],
    ['medium', 'low', 'P4'],
    ['low', 'high', 'P3'],
    ['low', 'medium', 'P4'],
    ['low', 'low', 'P4'],
  ];
  it.each(table)('impact %s × urgency %s → %s', (impact, urgency, expected) => {
    expect(priorityOf(impact, urgency)).toBe(expected);
  });

  it('is symmetric in the default matrix: impact and urgency weigh the same', () => {
    for (const [impact, row] of Object.entries(DEFAULT_PRIORITY_MATRIX)) {
      for (const urgency of Object.keys(row)) {
        expect(priorityOf(impact as Level, urgency as Level)).toBe(
          priorityOf(urgency as Level, impact as Level),
        );
      }
    }
  });

  it('follows a configured matrix instead of the default', () => {
    const everythingUrgent = {
      ...DEFAULT_PRIORITY_MATRIX,
      low: { high: 'P1', medium: 'P1', low: 'P1' },
    } as const;
    expect(priorityOf('low', 'low', everythingUrgent)).toBe('P1');
  });
});
