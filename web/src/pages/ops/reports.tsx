import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, query, serverNow } from '../../api/client.ts';
import { ProblemError } from '../../api/problem.ts';
import { ErrorNotice, Loading, Page } from '../../ui/status.tsx';
import { useApi } from '../../ui/use-api.ts';
import { BarChart, LineChart } from './charts.tsx';
import type { ReportSummary, Timeseries } from './ops-types.ts';

/**
 * `/reports`: the service-level reports as charts over a range of days (`from`/`to` in the
 * address, presets of 7, 30 and 90 days ending today on the desk's clock and in its time zone):
 * the backlog by tier (now), SLA and OLA achievement, first-contact resolution, CSAT and
 * deflection — the figures the stream processor keeps (`GET /reports/summary`), and per day or
 * week (`GET /reports/timeseries`). Supervisors and admins.
 */

const DAY_MS = 86_400_000;
const PRESETS = [7, 30, 90] as const;
/** The server's default range when none is given. */
const DEFAULT_DAYS = 30;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The counters the time charts draw, one request each. */
const METRICS = [
  'created',
  'resolved',
  'firstContactResolved',
  'met_resolution',
  'breached_resolution',
  'met_ola',
  'breached_ola',
] as const;
type Metric = (typeof METRICS)[number];

const CLOCK_NAMES: Record<string, string> = {
  first_response: 'First response (SLA)',
  next_response: 'Next response (SLA)',
  resolution: 'Resolution (SLA)',
  ola: 'Time in tier (OLA)',
  uc_response: 'Vendor response (UC)',
  uc_resolution: 'Vendor resolution (UC)',
};

const percent = (ratio: number | null | undefined): string =>
  ratio === null || ratio === undefined ? 'no data' : `${Math.round(ratio * 1000) / 10}%`;
const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** Today in the desk's time zone, by the desk's clock. */
const todayIn = (timeZone: string | undefined): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    serverNow(),
  );
const minusDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T12:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;

const asProblem = (error: unknown) =>
  error instanceof ProblemError ? error : new ProblemError(0, 'Something went wrong', String(error));

/** The time series of the range, all at once; `undefined` while loading. */
const useSeries = (from: string | undefined, to: string | undefined, interval: 'day' | 'week') => {
  const [state, setState] = useState<{ series?: Record<Metric, Timeseries>; error?: ProblemError }>({});
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    setState({});
    Promise.all(
      METRICS.map((metric) =>
        api
          .get<Timeseries>(`/reports/timeseries${query({ metric, interval, from, to })}`)
          .then((answer) => answer.data),
      ),
    ).then(
      (answers) => {
        if (current)
          setState({
            series: Object.fromEntries(METRICS.map((metric, index) => [metric, answers[index]])) as never,
          });
      },
      (error) => {
        if (current) setState({ error: asProblem(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [from, to, interval, attempt]);
  return { ...state, retry: () => setAttempt((value) => value + 1) };
};

const RangeForm = ({
  from,
  to,
  timeZone,
  error,
}: {
  from?: string;
  to?: string;
  timeZone?: string;
  error?: ProblemError;
}) => {
  const { route } = useLocation();
  const [draft, setDraft] = useState({ from: from ?? '', to: to ?? '' });
  const [invalid, setInvalid] = useState<string>();
  useEffect(() => setDraft({ from: from ?? '', to: to ?? '' }), [from, to]);
  const today = todayIn(timeZone);
  const fromError = invalid ?? error?.fieldMessage('from');
  const toError = error?.fieldMessage('to');
  return (
    <section class="card report-range" aria-labelledby="range-title">
      <h2 id="range-title">Range</h2>
      <ul class="report-presets" aria-label="Preset ranges">
        {PRESETS.map((days) => {
          const start = minusDays(today, days - 1);
          return (
            <li key={days}>
              <a
                class="button"
                href={`/reports${query({ from: start, to: today })}`}
                aria-current={from === start && to === today ? 'true' : undefined}
              >
                Last {days} days
              </a>
            </li>
          );
        })}
      </ul>
      <form
        class="ops-filters"
        onSubmit={(event) => {
          event.preventDefault();
          if (draft.from && draft.to && draft.from > draft.to) {
            setInvalid('The first day must not be after the last.');
            return;
          }
          setInvalid(undefined);
          route(`/reports${query({ from: draft.from || undefined, to: draft.to || undefined })}`);
        }}
      >
        <div>
          <label for="range-from">From</label>
          <input
            id="range-from"
            type="date"
            value={draft.from}
            max={today}
            aria-invalid={fromError ? 'true' : undefined}
            aria-describedby={fromError ? 'range-from-error' : undefined}
            onInput={(event) => setDraft({ ...draft, from: event.currentTarget.value })}
          />
          {fromError && (
            <p id="range-from-error" class="field-error">
              {fromError}
            </p>
          )}
        </div>
        <div>
          <label for="range-to">To</label>
          <input
            id="range-to"
            type="date"
            value={draft.to}
            aria-invalid={toError ? 'true' : undefined}
            aria-describedby={toError ? 'range-to-error' : undefined}
            onInput={(event) => setDraft({ ...draft, to: event.currentTarget.value })}
          />
          {toError && (
            <p id="range-to-error" class="field-error">
              {toError}
            </p>
          )}
        </div>
        <div class="ops-filter-action">
          <button type="submit" class="primary">
            Show
          </button>
        </div>
      </form>
    </section>
  );
};

const Kpi = ({ name, value, detail }: { name: string; value: string; detail: string }) => (
  <div class="kpi" data-kpi={name}>
    <dt>{name}</dt>
    <dd class="kpi-value">{value}</dd>
    <dd class="hint">{detail}</dd>
  </div>
);

const Backlog = ({ summary }: { summary: ReportSummary }) => {
  const tiers = [...new Set([1, 2, 3, ...summary.backlog.map((row) => row.tier)])].sort((a, b) => a - b);
  const ages = Object.keys(summary.backlog[0]?.ages ?? { '<1d': 0, '1-3d': 0, '3-7d': 0, '>7d': 0 });
  const total = (tier: number) =>
    summary.backlog.filter((row) => row.tier === tier).reduce((sum, row) => sum + row.total, 0);
  return (
    <BarChart
      id="backlog"
      title="Backlog by tier"
      subtitle="Open tickets now, whatever the range says."
      categoryLabel="Tier"
      valueLabel="Open tickets"
      bars={tiers.map((tier) => ({ label: `Tier ${tier}`, value: total(tier) }))}
      table={
        <table class="chart-table">
          <caption class="visually-hidden">Open tickets by tier, priority and age</caption>
          <thead>
            <tr>
              <th scope="col">Tier</th>
              <th scope="col">Priority</th>
              {ages.map((age) => (
                <th key={age} scope="col">
                  {age}
                </th>
              ))}
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {summary.backlog.length === 0 && (
              <tr>
                <td colSpan={ages.length + 3}>No open tickets.</td>
              </tr>
            )}
            {summary.backlog.map((row) => (
              <tr key={`${row.tier}-${row.priority}`}>
                <th scope="row">Tier {row.tier}</th>
                <td>{row.priority}</td>
                {ages.map((age) => (
                  <td key={age}>{row.ages[age] ?? 0}</td>
                ))}
                <td>{row.total}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
};

const ServiceLevels = ({ summary }: { summary: ReportSummary }) => {
  const levels = Object.entries(summary.serviceLevels);
  return (
    <BarChart
      id="service-levels"
      title="SLA and OLA achievement"
      subtitle="Clocks that stopped within their target, of all that stopped or breached in the range."
      categoryLabel="Clock"
      valueLabel="Met (%)"
      max={100}
      bars={levels.map(([clock, level]) => ({
        label: CLOCK_NAMES[clock] ?? clock,
        value: level.achievement === null ? null : Math.round(level.achievement * 1000) / 10,
        text:
          level.achievement === null
            ? 'no data'
            : `${percent(level.achievement)} (${level.met} of ${level.met + level.breached})`,
      }))}
      table={
        <table class="chart-table">
          <caption class="visually-hidden">Clocks met and breached</caption>
          <thead>
            <tr>
              <th scope="col">Clock</th>
              <th scope="col">Met</th>
              <th scope="col">Breached</th>
              <th scope="col">Achievement</th>
            </tr>
          </thead>
          <tbody>
            {levels.map(([clock, level]) => (
              <tr key={clock}>
                <th scope="row">{CLOCK_NAMES[clock] ?? clock}</th>
                <td>{level.met}</td>
                <td>{level.breached}</td>
                <td>{percent(level.achievement)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
};

const Csat = ({ summary }: { summary: ReportSummary }) => {
  const { csat } = summary;
  const scores = ['5', '4', '3', '2', '1'];
  return (
    <BarChart
      id="csat"
      title="Customer satisfaction (CSAT)"
      subtitle={
        csat.responses
          ? `Average ${csat.average?.toFixed(2) ?? '—'} of 5 from ${csat.responses} answer(s); ${percent(csat.responseRate)} of ${csat.surveyed} surveyed answered.`
          : `No answers yet; ${csat.surveyed} ticket(s) surveyed.`
      }
      categoryLabel="Score"
      valueLabel="Answers"
      bars={scores.map((score) => ({ label: `${score} of 5`, value: csat.distribution[score] ?? 0 }))}
      table={
        <table class="chart-table">
          <caption class="visually-hidden">Answers by score</caption>
          <thead>
            <tr>
              <th scope="col">Score</th>
              <th scope="col">Answers</th>
            </tr>
          </thead>
          <tbody>
            {scores.map((score) => (
              <tr key={score}>
                <th scope="row">{score} of 5</th>
                <td>{csat.distribution[score] ?? 0}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">Average</th>
              <td>{csat.average === null ? 'no data' : csat.average.toFixed(2)}</td>
            </tr>
          </tbody>
        </table>
      }
    />
  );
};

const Deflection = ({ summary }: { summary: ReportSummary }) => {
  const tickets = summary.tickets as Record<string, unknown>;
  const count = (name: string) => (typeof tickets[name] === 'number' ? (tickets[name] as number) : 0);
  const bars = [
    { label: 'Solved by an article, no ticket', value: summary.deflections },
    { label: 'Tickets resolved by an article', value: count('selfServed') },
    { label: 'Tickets created', value: count('created') },
  ];
  return (
    <BarChart
      id="deflection"
      title="Deflection"
      subtitle={`Deflection rate ${percent(summary.rates.deflection)}: questions the knowledge base answered, of all questions asked.`}
      categoryLabel="Outcome"
      valueLabel="Questions"
      bars={bars}
      table={
        <table class="chart-table">
          <caption class="visually-hidden">Deflection</caption>
          <tbody>
            {bars.map((bar) => (
              <tr key={bar.label}>
                <th scope="row">{bar.label}</th>
                <td>{bar.value}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">Deflection rate</th>
              <td>{percent(summary.rates.deflection)}</td>
            </tr>
          </tbody>
        </table>
      }
    />
  );
};

const OverTime = ({ series, interval }: { series: Record<Metric, Timeseries>; interval: 'day' | 'week' }) => {
  const periods = series.created.points.map((point) => point.period);
  const values = (metric: Metric) => series[metric].points.map((point) => point.value ?? 0);
  const rate = (part: Metric, ...whole: Metric[]) =>
    periods.map((_, index) => {
      const numerator = values(part)[index] ?? 0;
      const denominator = whole.reduce((sum, metric) => sum + (values(metric)[index] ?? 0), 0);
      const value = ratio(numerator, denominator);
      return value === null ? null : Math.round(value * 1000) / 10;
    });
  const unit = interval === 'day' ? 'Day' : 'Week (from Monday)';
  return (
    <>
      <LineChart
        id="volume"
        title="Tickets created and resolved"
        subtitle={`Per ${interval}.`}
        periods={periods}
        periodLabel={unit}
        unit={interval}
        valueLabel="Tickets"
        series={[
          { name: 'Created', values: values('created') },
          { name: 'Resolved', values: values('resolved') },
        ]}
      />
      <LineChart
        id="rates"
        title="SLA, OLA and first-contact resolution over time"
        subtitle={`Per ${interval}; a gap where nothing was resolved or no clock stopped.`}
        periods={periods}
        periodLabel={unit}
        unit={interval}
        valueLabel="Percent"
        max={100}
        format={(value) => `${Math.round(value * 10) / 10}%`}
        series={[
          {
            name: 'Resolution SLA met',
            values: rate('met_resolution', 'met_resolution', 'breached_resolution'),
          },
          { name: 'OLA met', values: rate('met_ola', 'met_ola', 'breached_ola') },
          { name: 'First-contact resolution', values: rate('firstContactResolved', 'resolved') },
        ]}
      />
    </>
  );
};

export default function Reports() {
  const { query: params } = useLocation();
  const from = params.from && DAY.test(params.from) ? params.from : undefined;
  const to = params.to && DAY.test(params.to) ? params.to : undefined;
  const days = from && to ? daysBetween(from, to) : DEFAULT_DAYS;
  const interval = days > 31 ? 'week' : 'day';
  const summary = useApi<ReportSummary>(`/reports/summary${query({ from, to })}`);
  const series = useSeries(from, to, interval);
  const data = summary.data;
  const level = (clock: string) => data?.serviceLevels[clock];
  const resolved = (data?.tickets as Record<string, unknown> | undefined)?.resolved;
  const open = data?.backlog.reduce((sum, row) => sum + row.total, 0) ?? 0;
  return (
    <Page title="Reports">
      <RangeForm
        from={from ?? data?.from}
        to={to ?? data?.to}
        timeZone={data?.timeZone}
        error={summary.error}
      />
      {summary.error && <ErrorNotice error={summary.error} retry={() => void summary.reload()} />}
      {!data && !summary.error && <Loading what="Loading the reports" />}
      {data && (
        <>
          <p class="report-range-text" aria-live="polite">
            From <strong>{data.from}</strong> to <strong>{data.to}</strong> ({data.timeZone}), per {interval}.
          </p>
          <section aria-labelledby="kpi-title">
            <h2 id="kpi-title">Key figures</h2>
            <dl class="kpis">
              <Kpi name="Open backlog" value={String(open)} detail="open tickets now" />
              <Kpi
                name="Resolution SLA met"
                value={percent(level('resolution')?.achievement)}
                detail={`${level('resolution')?.met ?? 0} met, ${level('resolution')?.breached ?? 0} breached`}
              />
              <Kpi
                name="OLA met"
                value={percent(level('ola')?.achievement)}
                detail={`${level('ola')?.met ?? 0} met, ${level('ola')?.breached ?? 0} breached`}
              />
              <Kpi
                name="First-contact resolution"
                value={percent(data.rates.firstContactResolution)}
                detail={`of ${typeof resolved === 'number' ? resolved : 0} resolved`}
              />
              <Kpi
                name="CSAT"
                value={data.csat.average === null ? 'no data' : `${data.csat.average.toFixed(1)} / 5`}
                detail={`${data.csat.responses} answer(s)`}
              />
              <Kpi
                name="Deflection"
                value={percent(data.rates.deflection)}
                detail={`${data.deflections} without a ticket`}
              />
            </dl>
          </section>
          <section aria-labelledby="now-title">
            <h2 id="now-title">Now</h2>
            <Backlog summary={data} />
          </section>
          <section aria-labelledby="levels-title">
            <h2 id="levels-title">Service levels</h2>
            <ServiceLevels summary={data} />
          </section>
          <section aria-labelledby="time-title">
            <h2 id="time-title">Over time</h2>
            {series.error && <ErrorNotice error={series.error} retry={series.retry} />}
            {!series.series && !series.error && <Loading what="Loading the figures per day" />}
            {series.series && <OverTime series={series.series} interval={interval} />}
          </section>
          <section aria-labelledby="satisfaction-title">
            <h2 id="satisfaction-title">Satisfaction and self-service</h2>
            <div class="chart-pair">
              <Csat summary={data} />
              <Deflection summary={data} />
            </div>
          </section>
        </>
      )}
    </Page>
  );
}
