import { useEffect, useRef, useState } from 'preact/hooks';
import { NEXT_STEP, type ProblemError } from '../../api/problem.ts';
import { problemOf } from '../../ui/problem-of.ts';
import type { TicketContextValue } from './ticket-context.ts';

/**
 * How the ticket page's forms send: once at a time, after asking when the ticket changed since
 * it was loaded ("send anyway / reload first"), with the API's refusal kept for the form to show
 * (field messages next to their fields, the rest near the button).
 */
export interface Submission {
  busy: boolean;
  problem?: ProblemError;
  confirming: boolean;
  submit(force?: boolean): Promise<void>;
  reset(): void;
  reloadFirst(): Promise<void>;
}

export const useSubmit = (ticket: TicketContextValue, send: () => Promise<void>): Submission => {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemError>();
  const [confirming, setConfirming] = useState(false);
  const submit = async (force = false) => {
    if (busy) return;
    if (ticket.stale && !force) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    setBusy(true);
    setProblem(undefined);
    try {
      await send();
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };
  return {
    busy,
    problem,
    confirming,
    submit,
    reset: () => {
      setProblem(undefined);
      setConfirming(false);
    },
    reloadFirst: async () => {
      setConfirming(false);
      setProblem(undefined);
      await ticket.reload();
    },
  };
};

/** The question asked before sending on a stale view. */
const StaleConfirm = ({ submission }: { submission: Submission }) => {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div class="notice notice-warn stale-confirm" role="alert">
      <p>
        <strong>The ticket changed since you opened it.</strong> Send anyway, or reload first to see what
        changed (what you wrote stays)?
      </p>
      <div class="actions">
        <button ref={first} type="button" onClick={() => void submission.submit(true)}>
          Send anyway
        </button>
        <button type="button" class="primary" onClick={() => void submission.reloadFirst()}>
          Reload first
        </button>
      </div>
    </div>
  );
};

/**
 * The API's refusal, near the form: a 412 says someone changed the ticket and offers the reload;
 * field problems the form shows beside their fields are not repeated (`fields`).
 */
const ActionProblem = ({
  submission,
  problem,
  fields,
}: {
  submission: Submission;
  problem: ProblemError;
  fields: readonly string[];
}) => {
  const others = problem.errors.filter(
    (issue) => !fields.some((field) => issue.field === field || issue.field.endsWith(`.${field}`)),
  );
  return (
    <div class="notice notice-error" role="alert">
      {problem.status === 412 ? (
        <p>
          <strong>Someone changed this ticket since you loaded it</strong> — your change was not made.
        </p>
      ) : (
        <p>
          <strong>{problem.title}</strong>
          {problem.detail ? ` — ${problem.detail}` : ''}
        </p>
      )}
      {others.length > 0 && (
        <ul>
          {others.map((issue) => (
            <li key={issue.field}>
              {issue.field}: {issue.message}
            </li>
          ))}
        </ul>
      )}
      <p class="hint">
        {NEXT_STEP[problem.status] ?? 'Try again; if it keeps failing, tell the desk’s admins.'}
      </p>
      {problem.status === 412 && (
        <button type="button" class="primary" onClick={() => void submission.reloadFirst()}>
          Reload the ticket
        </button>
      )}
    </div>
  );
};

/** What a form shows under its fields: the stale-view question, or the API's refusal. */
export const SubmitStatus = ({
  submission,
  fields = [],
}: {
  submission: Submission;
  fields?: readonly string[];
}) => (
  <>
    {submission.confirming && <StaleConfirm submission={submission} />}
    {submission.problem && (
      <ActionProblem submission={submission} problem={submission.problem} fields={fields} />
    )}
  </>
);

/** A field's message: the form's own check first, then what the API said about it. */
export const fieldError = (
  own: Record<string, string | undefined>,
  problem: ProblemError | undefined,
  field: string,
): string | undefined => own[field] ?? problem?.fieldMessage(field);

/** The attributes that tie a control to its message. */
export const describedBy = (id: string, error: string | undefined, hint?: boolean) => ({
  id,
  'aria-invalid': error ? ('true' as const) : undefined,
  'aria-describedby':
    [error ? `${id}-error` : undefined, hint ? `${id}-hint` : undefined].filter(Boolean).join(' ') ||
    undefined,
});

export const FieldError = ({ id, error }: { id: string; error: string | undefined }) =>
  error ? (
    <p class="field-error" id={`${id}-error`}>
      {error}
    </p>
  ) : null;
