import { useState } from 'preact/hooks';
import { api, serverNow } from '../../api/client.ts';
import { ProblemError } from '../../api/problem.ts';
import { formatDateTime, formatRelative } from '../../ui/format.ts';
import { ErrorNotice } from '../../ui/status.tsx';
import { Field, fieldId, SaveProblem, TextField, useAction } from './form-kit.tsx';
import { defineKind, type ExtraProps, type FormProps } from './kind-spec.ts';
import { type DryRun, type Policy, PRIORITIES } from './types.ts';

/** SLA policies: targets per priority on a calendar, when clocks warn, whether on-hold pauses — and the dry run. */

type Priority = (typeof PRIORITIES)[number];
const TARGETS = [
  ['firstResponse', 'First response'],
  ['nextResponse', 'Next response'],
  ['resolution', 'Resolution'],
] as const;
type TargetKey = (typeof TARGETS)[number][0];

export interface PolicyDraft {
  id: string;
  name: string;
  calendar: string;
  targets: Record<Priority, Record<TargetKey, string>>;
  warnAt: string;
  onHoldPausesSla: boolean;
  /** Set by the desk: shown, never sent. */
  version?: number;
}

const DEFAULT_TARGETS: Record<Priority, Record<TargetKey, string>> = {
  P1: { firstResponse: '1h', nextResponse: '1h', resolution: '4h' },
  P2: { firstResponse: '2h', nextResponse: '2h', resolution: '8h' },
  P3: { firstResponse: '4h', nextResponse: '4h', resolution: '1d' },
  P4: { firstResponse: '8h', nextResponse: '8h', resolution: '2d' },
};

const PolicyForm = ({ form, draft, set, isNew, problem, config }: FormProps<PolicyDraft>) => {
  const setTarget = (priority: Priority, key: TargetKey, value: string) =>
    set({
      ...draft,
      targets: { ...draft.targets, [priority]: { ...draft.targets[priority], [key]: value } },
    });
  return (
    <>
      {isNew ? (
        <TextField
          form={form}
          path="id"
          label="Id"
          hint="Lower-case letters, digits and dashes; the settings choose a policy by it."
          problem={problem}
          value={draft.id}
          onValue={(value) => set({ ...draft, id: value })}
        />
      ) : (
        draft.version !== undefined && (
          <p class="hint">
            Version {draft.version}. Saving a change makes the next version: new tickets pin it at triage,
            running tickets keep the version they pinned, so their deadlines do not move.
          </p>
        )
      )}
      <TextField
        form={form}
        path="name"
        label="Name"
        problem={problem}
        value={draft.name}
        onValue={(value) => set({ ...draft, name: value })}
      />
      <Field
        form={form}
        path="calendar"
        label="Calendar"
        hint="The targets count business time on this calendar."
        problem={problem}
      >
        {(props) => (
          <select
            {...props}
            value={draft.calendar}
            onChange={(e) => set({ ...draft, calendar: e.currentTarget.value })}
          >
            {!config.calendars.some((calendar) => calendar.id === draft.calendar) && (
              <option value={draft.calendar}>{draft.calendar || 'Choose a calendar'}</option>
            )}
            {config.calendars.map((calendar) => (
              <option key={calendar.id} value={calendar.id}>
                {calendar.name} ({calendar.id})
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset class="targets">
        <legend>Targets per priority</legend>
        <p class="hint" id={`${form}-targets-hint`}>
          Business time on the calendar: <code>45m</code>, <code>4h</code>, <code>1h30m</code>,{' '}
          <code>2d</code> (a day is 24 h; on a 09:00–17:00 calendar a business day is <code>8h</code>).
        </p>
        <table class="responsive targets-table">
          <thead>
            <tr>
              <th scope="col">Priority</th>
              {TARGETS.map(([key, label]) => (
                <th key={key} scope="col">
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {PRIORITIES.map((priority) => (
              <tr key={priority}>
                <th scope="row">{priority}</th>
                {TARGETS.map(([key, label]) => (
                  <td key={key} data-label={label}>
                    <Field
                      form={form}
                      path={`targets.${priority}.${key}`}
                      label={
                        <span class="visually-hidden">
                          {priority} {label.toLowerCase()}
                        </span>
                      }
                      problem={problem}
                    >
                      {(props) => (
                        <input
                          {...props}
                          aria-describedby={[`${form}-targets-hint`, props['aria-describedby']]
                            .filter(Boolean)
                            .join(' ')}
                          class="duration"
                          value={draft.targets[priority][key]}
                          onInput={(e) => setTarget(priority, key, e.currentTarget.value)}
                        />
                      )}
                    </Field>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </fieldset>
      <Field
        form={form}
        path="warnAt"
        label="Warn at (fraction of the target)"
        hint="0.75: a clock warns when three quarters of its target has passed. Above 0, below 1."
        problem={problem}
      >
        {(props) => (
          <input
            {...props}
            type="number"
            inputMode="decimal"
            step="0.05"
            min="0.05"
            max="0.95"
            value={draft.warnAt}
            onInput={(e) => set({ ...draft, warnAt: e.currentTarget.value })}
          />
        )}
      </Field>
      <div class="field check">
        <input
          id={fieldId(form, 'onHoldPausesSla')}
          type="checkbox"
          checked={draft.onHoldPausesSla}
          onChange={(e) => set({ ...draft, onHoldPausesSla: e.currentTarget.checked })}
        />
        <label for={fieldId(form, 'onHoldPausesSla')}>On hold pauses the SLA clocks</label>
        <p class="hint">
          While a ticket waits on a vendor (on hold), its requester-facing clocks stand still.
        </p>
      </div>
    </>
  );
};

/** A clock's state in words, and the badge colour that goes with them (never the colour alone). */
const STATUS: Record<string, { text: string; badge: string }> = {
  running: { text: 'running', badge: 'ok' },
  paused: { text: 'paused', badge: 'paused' },
  met: { text: 'met', badge: 'ok' },
  breached: { text: 'breached', badge: 'breached' },
  stopped: { text: 'stopped', badge: '' },
};

const CLOCK_NAMES: Record<string, string> = {
  first_response: 'First response',
  next_response: 'Next response',
  resolution: 'Resolution',
  ola: 'OLA',
};
const clockName = (clock: string) => CLOCK_NAMES[clock] ?? clock.replaceAll('_', ' ');

/**
 * The what-if: a ticket's clocks under this policy — as edited here (unsaved) or as saved —
 * computed by the same engine the ticket's workflow runs, so the instants are those it would act at.
 */
const DryRunPanel = ({ draft, body, isNew, onProblem }: ExtraProps<PolicyDraft>) => {
  const [ticket, setTicket] = useState('');
  const [which, setWhich] = useState<'draft' | 'saved'>('draft');
  const [result, setResult] = useState<{ run: DryRun; draft: boolean }>();
  const action = useAction();
  const useDraft = isNew || which === 'draft';
  const form = 'dry-run';
  const tryIt = () =>
    action.run(async () => {
      setResult(undefined);
      onProblem(undefined);
      const number = Number(ticket);
      if (!Number.isInteger(number) || number <= 0) {
        throw new ProblemError(422, 'Which ticket?', undefined, [
          { field: 'body.ticket', message: 'enter the number of a ticket, such as 42' },
        ]);
      }
      try {
        const { data } = await api.post<DryRun>(
          `/admin/policies/${encodeURIComponent(draft.id.trim())}/dry-run`,
          {
            ticket: number,
            ...(useDraft && { policy: body }),
          },
        );
        setResult({ run: data, draft: useDraft });
      } catch (error) {
        // A draft's problems name the form's fields: they are shown there too.
        onProblem(error instanceof ProblemError ? error : undefined);
        throw error;
      }
    });
  const ticketProblem = action.problem?.errors.some((issue) => issue.field === 'body.ticket')
    ? action.problem
    : undefined;
  const now = serverNow();
  return (
    <section class="card dry-run" aria-labelledby="dry-run-title">
      <h2 id="dry-run-title">Try it on a ticket (dry run)</h2>
      <p class="hint">
        When would a ticket's clocks warn and breach under this policy? The desk computes it with the engine
        the ticket's workflow runs, from what happened to the ticket so far. Nothing is saved or changed.
      </p>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void tryIt();
        }}
      >
        <Field form={form} path="ticket" label="Ticket number" problem={ticketProblem}>
          {(props) => (
            <input
              {...props}
              inputMode="numeric"
              pattern="[0-9]*"
              value={ticket}
              onInput={(e) => setTicket(e.currentTarget.value)}
            />
          )}
        </Field>
        {!isNew && (
          <fieldset class="choice">
            <legend>Which policy</legend>
            <div class="check">
              <input
                id="dry-run-draft"
                type="radio"
                name="dry-run-which"
                checked={which === 'draft'}
                onChange={() => setWhich('draft')}
              />
              <label for="dry-run-draft">As edited above (unsaved)</label>
            </div>
            <div class="check">
              <input
                id="dry-run-saved"
                type="radio"
                name="dry-run-which"
                checked={which === 'saved'}
                onChange={() => setWhich('saved')}
              />
              <label for="dry-run-saved">As saved</label>
            </div>
          </fieldset>
        )}
        <div class="actions">
          <button type="submit" disabled={action.busy}>
            {action.busy ? 'Computing…' : 'Show the clocks'}
          </button>
        </div>
      </form>
      {action.problem &&
        !ticketProblem &&
        (action.problem.status === 422 ? (
          <SaveProblem problem={action.problem} what="the draft" labels={POLICY_LABELS} />
        ) : (
          <ErrorNotice error={action.problem} />
        ))}
      <div aria-live="polite">
        {result && (
          <table class="responsive dry-run-clocks">
            <caption>
              Ticket #{result.run.ticket} under {result.run.policy.id} version {result.run.policy.version}
              {result.draft ? ' (as edited, unsaved)' : ' (as saved)'}
            </caption>
            <thead>
              <tr>
                <th scope="col">Clock</th>
                <th scope="col">Status</th>
                <th scope="col">Warns</th>
                <th scope="col">Breaches</th>
              </tr>
            </thead>
            <tbody>
              {result.run.clocks.length === 0 && (
                <tr>
                  <td colSpan={4}>The ticket has no clocks under this policy.</td>
                </tr>
              )}
              {result.run.clocks.map((clock) => (
                <tr key={clock.key}>
                  <td data-label="Clock">
                    {clockName(clock.clock)}
                    {clock.key !== clock.clock && <span class="hint"> ({clock.key})</span>}
                  </td>
                  <td data-label="Status">
                    <span class={`badge ${STATUS[clock.status]?.badge ?? ''}`}>
                      {STATUS[clock.status]?.text ?? clock.status}
                    </span>
                  </td>
                  <td data-label="Warns">
                    {clock.warnsAt ? (
                      <time dateTime={clock.warnsAt}>
                        {formatDateTime(clock.warnsAt)} ({formatRelative(clock.warnsAt, now)})
                      </time>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td data-label="Breaches">
                    {clock.breachesAt ? (
                      <time dateTime={clock.breachesAt}>
                        {formatDateTime(clock.breachesAt)} ({formatRelative(clock.breachesAt, now)})
                      </time>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
};

const POLICY_LABELS = {
  id: 'Id',
  name: 'Name',
  calendar: 'Calendar',
  targets: 'Targets',
  warnAt: 'Warn at',
  onHoldPausesSla: 'On hold pauses',
  firstResponse: 'first response',
  nextResponse: 'next response',
  resolution: 'resolution',
};

export const POLICIES = defineKind<Policy, PolicyDraft>({
  kind: 'policies',
  title: 'SLA policies',
  one: 'policy',
  plural: 'SLA policies',
  intro:
    'Response and resolution targets per priority, on a calendar. A ticket pins the policy version it gets at triage; which policy a priority gets is in the settings.',
  labels: POLICY_LABELS,
  toDraft: (policy, config) => ({
    id: policy?.id ?? '',
    name: policy?.name ?? '',
    calendar: policy?.calendar ?? config.calendars[0]?.id ?? '',
    targets: Object.fromEntries(
      PRIORITIES.map((priority) => [
        priority,
        { ...(policy?.targets[priority] ?? DEFAULT_TARGETS[priority]) },
      ]),
    ) as PolicyDraft['targets'],
    warnAt: String(policy?.warnAt ?? 0.75),
    onHoldPausesSla: policy?.onHoldPausesSla ?? true,
    ...(policy?.version !== undefined && { version: policy.version }),
  }),
  fromDraft: (draft) => ({
    id: draft.id.trim(),
    name: draft.name.trim(),
    calendar: draft.calendar,
    targets: Object.fromEntries(
      PRIORITIES.map((priority) => [
        priority,
        Object.fromEntries(TARGETS.map(([key]) => [key, draft.targets[priority][key].trim()])),
      ]),
    ),
    warnAt: draft.warnAt.trim() === '' ? undefined : Number(draft.warnAt),
    onHoldPausesSla: draft.onHoldPausesSla,
  }),
  idOf: (policy) => policy.id,
  draftId: (draft) => draft.id.trim(),
  idField: 'id',
  nameOf: (policy) => policy.name,
  columns: [
    { label: 'Version', cell: (policy) => policy.version ?? '—' },
    { label: 'Calendar', cell: (policy) => policy.calendar },
    {
      label: 'P1 response / resolution',
      cell: (policy) =>
        `${policy.targets.P1?.firstResponse ?? '—'} / ${policy.targets.P1?.resolution ?? '—'}`,
    },
    { label: 'Warns at', cell: (policy) => `${Math.round(policy.warnAt * 100)} %` },
  ],
  Form: PolicyForm,
  Extra: DryRunPanel,
  canDelete: true,
});
