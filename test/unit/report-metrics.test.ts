import { describe, expect, it } from 'vitest';
import { figureMetrics } from '#shared/reports/report-changes';
import type { Cell } from '#shared/reports/report-facts';

const cell = (tier: number): Cell => ({
  day: '2026-11-23',
  tier,
  group: 'service-desk',
  priority: 'P3',
  channel: 'email',
});

describe('Function: figureMetrics', () => {
  it('publishes the counted figures, every SLA/OLA/UC breach as one metric, and one CSAT data point per answer', () => {
    // Act
    const figures = figureMetrics([
      { cell: cell(1), counts: { created: 1, breached_first_response: 1, escalatedManual: 1 }, samples: [] },
      { cell: cell(2), counts: { resolved: 1, firstContactResolved: 0, breached_ola: 1 }, samples: [] },
    ]);

    // Assess
    expect(figures).toEqual([
      ['ReportCreated', 1],
      ['ReportResolved', 1],
      ['ReportBreaches', 2],
    ]);
  });

  it('takes a replaced answer as the new score only (the old one leaves the report, not CloudWatch)', () => {
    // Act
    const figures = figureMetrics([
      { cell: cell(1), counts: { csat_2: -1, csatResponses: -1 }, samples: [] },
      { cell: cell(1), counts: { csat_4: 1, csatResponses: 1 }, samples: [] },
    ]);

    // Assess
    expect(figures).toEqual([['ReportCsatScore', 4]]);
  });

  it('publishes nothing for a version that counted nothing', () => {
    expect(figureMetrics([])).toEqual([]);
  });
});
