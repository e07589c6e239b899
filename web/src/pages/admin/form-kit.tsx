import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ProblemError } from '../../api/problem.ts';
import { ErrorNotice, Page } from '../../ui/status.tsx';

/**
 * What the admin forms share: a labelled field whose problem (a 422's field path) is shown next
 * to it, the explanations of a refused save (412: someone changed it; 409: what still uses it;
 * 422: which fields), a confirmation dialog, and the busy/problem state of one action.
 */

/** A problem's field as the form knows it: `body.weekly.mon[0]` → `weekly.mon[0]`, `body` → ''. */
const formPath = (field: string, prefix = 'body'): string => {
  if (field === prefix) return '';
  if (field.startsWith(`${prefix}.`)) return field.slice(prefix.length + 1);
  if (field.startsWith(`${prefix}[`)) return field.slice(prefix.length);
  return field;
};

const isFieldProblem = (problem: ProblemError | undefined): problem is ProblemError =>
  problem !== undefined && (problem.status === 400 || problem.status === 422) && problem.errors.length > 0;

/**
 * The messages for one input: those at its path, and with `nested` those under it
 * (`weekly.mon[1]` under `weekly.mon`), each then prefixed by what it names (`nested(rest)`).
 */
const messagesAt = (
  problem: ProblemError | undefined,
  path: string,
  nested?: (rest: string) => string,
  prefix = 'body',
): string[] => {
  if (!isFieldProblem(problem)) return [];
  return problem.errors.flatMap((issue) => {
    const at = formPath(issue.field, prefix);
    if (at === path) return [issue.message];
    if (nested && (at.startsWith(`${path}.`) || at.startsWith(`${path}[`))) {
      return [`${nested(at.slice(path.length))}: ${issue.message}`];
    }
    return [];
  });
};

/** An element id for a field path of a form: `cal` + `holidays[1].date` → `cal-holidays-1-date`. */
export const fieldId = (form: string, path: string): string =>
  `${form}-${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')}`;

export interface ControlProps {
  id: string;
  'aria-invalid'?: 'true';
  'aria-describedby'?: string;
}

/**
 * A labelled control with its hint and its problem: the control gets `aria-invalid` and is
 * described by both, so a screen reader reads the message with the field.
 */
export const Field = ({
  form,
  path,
  label,
  hint,
  problem,
  nested,
  prefix,
  children,
}: {
  form: string;
  path: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  problem?: ProblemError;
  nested?: (rest: string) => string;
  prefix?: string;
  children: (props: ControlProps) => ComponentChildren;
}) => {
  const id = fieldId(form, path);
  const messages = messagesAt(problem, path, nested, prefix);
  const describedBy = [hint ? `${id}-hint` : '', messages.length > 0 ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children({
        id,
        ...(messages.length > 0 && { 'aria-invalid': 'true' as const }),
        ...(describedBy && { 'aria-describedby': describedBy }),
      })}
      {messages.length > 0 && (
        <p class="field-error" id={`${id}-error`}>
          {messages.join(' · ')}
        </p>
      )}
    </div>
  );
};

/** A labelled text input bound to one string of the draft: the most common {@link Field}. */
export const TextField = ({
  value,
  onValue,
  ...field
}: Omit<Parameters<typeof Field>[0], 'children'> & { value: string; onValue: (value: string) => void }) => (
  <Field {...field}>
    {(props) => <input {...props} value={value} onInput={(e) => onValue(e.currentTarget.value)} />}
  </Field>
);

/** A message under a group of controls (a fieldset, a table of rows) for the group's own path. */
export const GroupError = ({
  form,
  path,
  problem,
  nested,
}: {
  form: string;
  path: string;
  problem?: ProblemError;
  nested?: (rest: string) => string;
}) => {
  const messages = messagesAt(problem, path, nested);
  if (messages.length === 0) return null;
  return (
    <p class="field-error" id={`${fieldId(form, path)}-error`}>
      {messages.join(' · ')}
    </p>
  );
};

/** Any failure as a problem the pages can show. */
export const asProblem = (error: unknown): ProblemError =>
  error instanceof ProblemError ? error : new ProblemError(0, 'Something went wrong', String(error));

/** One action's state: busy while it runs, the problem it ended with. */
export const useAction = () => {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemError>();
  const run = async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setProblem(undefined);
    try {
      return await action();
    } catch (error) {
      setProblem(asProblem(error));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, setProblem, run };
};

/** Where a user of a configuration item, as a 409 names it, can be changed. */
const userLink = (user: string): string | undefined => {
  const ticket = /^ticket #(\d+)/.exec(user);
  if (ticket) return `/tickets/${ticket[1]}`;
  const kind = /^(calendars|policies|tiers|groups|vendors|routing|settings)\b/.exec(user);
  return kind ? `/admin/config/${kind[1]}` : undefined;
};

/** `holidays[1].date` → `Holidays › 2 › date`, with the form's names for its top-level fields. */
const describePath = (path: string, labels: Record<string, string>): string => {
  if (path === '') return 'The whole item';
  const parts = path.match(/[^.[\]]+/g) ?? [path];
  return parts
    .map((part, index) => {
      if (index === 0) return labels[part] ?? part;
      return /^\d+$/.test(part) ? `row ${Number(part) + 1}` : (labels[part] ?? part);
    })
    .join(' › ');
};

/**
 * Why a save was refused, and what to do: a 412 says someone changed it and offers to reload; a
 * 409 lists what still uses it; a 422 says how many fields need correcting (each message is also
 * next to its field) and names those the form has no field for.
 */
export const SaveProblem = ({
  problem,
  what,
  labels = {},
  onReload,
  prefix,
}: {
  problem: ProblemError;
  what: string;
  labels?: Record<string, string>;
  onReload?: () => void;
  prefix?: string;
}) => {
  if (problem.status === 412) {
    return (
      <div class="notice notice-warn" role="alert">
        <p>
          <strong>Someone else changed {what} since you opened it.</strong> Nothing was saved, so their change
          was not overwritten.
        </p>
        {problem.detail && <p class="hint">{problem.detail}</p>}
        <p>Reload to see the current version, then make your change again.</p>
        {onReload && (
          <button type="button" onClick={onReload}>
            Reload {what}
          </button>
        )}
      </div>
    );
  }
  const users = Array.isArray(problem.extra.users) ? (problem.extra.users as string[]) : [];
  if (problem.status === 409 && users.length > 0) {
    return (
      <div class="notice notice-error" role="alert">
        <p>
          <strong>{problem.title}</strong> — {what} is still used by:
        </p>
        <ul class="in-use">
          {users.map((user) => {
            const href = userLink(user);
            return <li key={user}>{href ? <a href={href}>{user}</a> : user}</li>;
          })}
        </ul>
        <p class="hint">Change those first (they no longer name it), then try again.</p>
      </div>
    );
  }
  if (isFieldProblem(problem)) {
    return (
      <div class="notice notice-error" role="alert">
        <p>
          <strong>Not saved:</strong>{' '}
          {problem.errors.length === 1
            ? 'one field needs correcting'
            : `${problem.errors.length} fields need correcting`}{' '}
          (marked below).
        </p>
        <ul>
          {problem.errors.map((issue) => (
            <li key={`${issue.field}:${issue.message}`}>
              {describePath(formPath(issue.field, prefix), labels)}: {issue.message}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return <ErrorNotice error={problem} />;
};

/**
 * A modal confirmation (the native dialog: focus moves into it, Escape cancels, focus returns to
 * the button that opened it).
 */
export const ConfirmDialog = ({
  open,
  title,
  confirmLabel,
  danger,
  busy,
  onConfirm,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onClose: () => void;
  children: ComponentChildren;
}) => {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useRef(`dialog-${Math.random().toString(36).slice(2, 8)}`).current;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={onClose}>
      {open && (
        <>
          <h2 id={titleId}>{title}</h2>
          {children}
          <div class="actions dialog-actions">
            <button type="button" class={danger ? 'danger' : 'primary'} disabled={busy} onClick={onConfirm}>
              {busy ? 'Working…' : confirmLabel}
            </button>
            <button type="button" onClick={onClose} disabled={busy}>
              Cancel
            </button>
          </div>
        </>
      )}
    </dialog>
  );
};

/** A polite announcement of what just happened ("Saved …"), kept until the next one. */
export const Announcement = ({ message }: { message?: string }) => (
  <div role="status" aria-live="polite">
    {message && <p class="notice notice-info">{message}</p>}
  </div>
);

/** An admin page: the console's page frame, its content scoped for `styles/admin.css`. */
export const AdminPage = ({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ComponentChildren;
  children: ComponentChildren;
}) => (
  <Page title={title} actions={actions}>
    <div class="admin">{children}</div>
  </Page>
);
