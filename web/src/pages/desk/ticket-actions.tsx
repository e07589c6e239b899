import { useState } from 'preact/hooks';
import { type ApiAnswer, api } from '../../api/client.ts';
import type { TicketView } from '../../api/types.ts';
import type { Session } from '../../auth/session.ts';
import { useApi } from '../../ui/use-api.ts';
import { ifMatchOf, type TicketContextValue, useTicket } from './ticket-context.ts';
import type { Ticket } from './ticket-contracts.ts';
import { Dialog } from './ticket-dialog.tsx';
import { describedBy, FieldError, fieldError, SubmitStatus, useSubmit } from './ticket-forms.tsx';

/**
 * The lifecycle actions, each a small dialog whose fields are its body schema's, offered only
 * where the ticket's status (and the person's tiers) allow it; the API still decides, and its
 * refusal is shown in the dialog. Field changes (assignee, priority, category, tags) are PATCHes
 * conditional on the version the page holds (If-Match).
 */

export type ActionKey =
  | 'escalate'
  | 'pending'
  | 'resolve'
  | 'handoff'
  | 'vendor-update'
  | 'merge'
  | 'close'
  | 'reopen'
  | 'assign'
  | 'watchers'
  | 'fields';

type Values = Record<string, string | boolean>;

interface FieldSpec {
  name: string;
  label: string;
  kind: 'text' | 'textarea' | 'checkbox' | 'number' | 'select' | 'email';
  /** The message when it is left empty; absent: optional. */
  required?: string;
  hint?: string;
  options?: readonly { value: string; label: string }[];
  initial?: string | boolean;
}

interface ActionSpec {
  title: string;
  submit: string;
  intro?: string;
  fields: FieldSpec[];
  /** The form's own check beyond required fields: messages by field. */
  check?(values: Values): Record<string, string | undefined>;
  send(values: Values): Promise<ApiAnswer<TicketView>>;
  done(ticket: TicketView): string;
}

const isSupervisor = (me: Session) => me.role === 'supervisor' || me.role === 'admin';

/** The tiers a person sees, as the desk's policy has them (a Tier 3 agent sees Tier 4 too). */
export const seesTier = (me: Session, tier: number): boolean => {
  if (isSupervisor(me)) return true;
  if (me.role !== 'agent') return false;
  const highest = Math.max(0, ...me.tiers);
  return tier <= (highest >= 3 ? 4 : highest);
};

const owningTier = (tier: number) => (tier === 4 ? 3 : tier);

/** What the page offers for the ticket as it stands, to this person. */
export const offeredActions = (ticket: Ticket, me: Session): ActionKey[] => {
  const ofTier = isSupervisor(me) || (me.role === 'agent' && me.tiers.includes(owningTier(ticket.tier)));
  const workable = ['new', 'open', 'pending'].includes(ticket.status);
  const unresolved = workable || ticket.status === 'on_hold';
  const offered: [ActionKey, boolean][] = [
    ['escalate', workable && ticket.tier < 3 && ofTier],
    ['pending', ticket.status === 'new' || ticket.status === 'open'],
    ['resolve', unresolved],
    ['handoff', workable && ticket.tier === 3 && (isSupervisor(me) || me.tiers.includes(3))],
    ['vendor-update', ticket.tier === 4 && ticket.vendorId !== undefined],
    ['reopen', ticket.status === 'resolved'],
    ['close', ticket.status === 'resolved'],
    ['merge', ticket.status !== 'closed'],
    ['assign', unresolved],
    ['watchers', ticket.status !== 'closed'],
    ['fields', ticket.status !== 'closed'],
  ];
  return offered.filter(([, shown]) => shown).map(([key]) => key);
};

const PRIORITY_OPTIONS = ['P1', 'P2', 'P3', 'P4'].map((value) => ({ value, label: value }));

const str = (value: string | boolean | undefined) => (typeof value === 'string' ? value.trim() : '');

interface Vendors {
  items: { item: { id: string; name?: string } }[];
}

const specs = (
  context: TicketContextValue,
  vendors: Vendors | undefined,
  presence: { pause(): Promise<void>; resume(): void },
): Record<ActionKey, ActionSpec> => {
  const { number, ticket, me } = context;
  const path = (action: string) => `/tickets/${number}/${action}`;
  const post = (action: string, body: unknown) => api.post<TicketView>(path(action), body);
  const patch = (body: Record<string, unknown>) =>
    api.patch<TicketView>(`/tickets/${number}`, body, { ifMatch: ifMatchOf(ticket) });
  const nextTier = ticket.tier + 1;
  const documentsFixes = isSupervisor(me) || me.tiers.includes(3);
  return {
    escalate: {
      title: `Escalate to Tier ${nextTier}`,
      submit: 'Escalate',
      intro: `Tier ${nextTier} takes the ticket with your work summary; it is internal.`,
      fields: [
        { name: 'reason', label: 'Why the next tier is needed', kind: 'text', required: 'Say why.' },
        {
          name: 'summary',
          label: 'Work summary',
          kind: 'textarea',
          required: 'Write the work summary: what was found and tried so far.',
          hint: 'Required: what you found and tried, so the next tier does not start over.',
        },
      ],
      send: async (values) => {
        // Out of this person's tiers afterwards: say goodbye first, as the page cannot afterwards.
        const leaving = !seesTier(me, nextTier);
        if (leaving) await presence.pause();
        try {
          return await post('escalate', { reason: str(values.reason), summary: str(values.summary) });
        } catch (error) {
          if (leaving) presence.resume();
          throw error;
        }
      },
      done: (changed) => `Escalated to Tier ${changed.view === 'desk' ? changed.tier : nextTier}.`,
    },
    pending: {
      title: 'Set pending',
      submit: 'Set pending',
      intro: 'The desk waits on the requester: the SLA clocks pause until they answer.',
      fields: [
        {
          name: 'reason',
          label: 'What the desk waits for',
          kind: 'text',
          required: 'Say what the desk waits for from the requester.',
        },
      ],
      send: (values) => post('pending', { reason: str(values.reason) }),
      done: () => 'The ticket is pending.',
    },
    resolve: {
      title: 'Resolve',
      submit: 'Resolve',
      fields: [
        {
          name: 'resolution',
          label: 'Resolution (the requester reads it)',
          kind: 'textarea',
          required: 'Say what solved it.',
        },
        ...(documentsFixes
          ? [
              {
                name: 'documentFix',
                label: 'Document the fix',
                kind: 'checkbox' as const,
                hint: 'Also writes the fix up as a draft internal article linked to the ticket.',
              },
            ]
          : []),
      ],
      send: (values) =>
        post('resolve', {
          resolution: str(values.resolution),
          ...(documentsFixes && { documentFix: values.documentFix === true }),
        }),
      done: () => 'Resolved.',
    },
    handoff: {
      title: 'Hand off to a vendor',
      submit: 'Hand off',
      intro: 'The ticket goes to Tier 4, on hold with the vendor; the message is sent to them.',
      fields: [
        vendors
          ? {
              name: 'vendorId',
              label: 'Vendor',
              kind: 'select',
              required: 'Choose the vendor.',
              options: vendors.items.map(({ item }) => ({ value: item.id, label: item.name ?? item.id })),
            }
          : {
              name: 'vendorId',
              label: 'Vendor id',
              kind: 'text',
              required: 'Name the vendor by its id.',
              hint: 'The id in the desk configuration, e.g. printix.',
            },
        {
          name: 'message',
          label: 'What the vendor is asked to do',
          kind: 'textarea',
          required: 'Write the message.',
        },
      ],
      send: (values) => post('handoff', { vendorId: str(values.vendorId), message: str(values.message) }),
      done: () => 'Handed off to the vendor.',
    },
    'vendor-update': {
      title: 'Record a vendor update',
      submit: 'Record',
      fields: [
        {
          name: 'message',
          label: "The vendor's answer (internal)",
          kind: 'textarea',
          required: 'Write the answer.',
        },
        { name: 'resolved', label: 'The vendor resolved the issue', kind: 'checkbox' },
      ],
      send: (values) =>
        post('vendor-update', { message: str(values.message), resolved: values.resolved === true }),
      done: () => 'The vendor update is recorded.',
    },
    merge: {
      title: 'Merge into another ticket',
      submit: 'Merge',
      intro: 'This ticket closes as a duplicate; its conversation is carried to the other ticket.',
      fields: [
        {
          name: 'into',
          label: 'The ticket that stays (number)',
          kind: 'number',
          required: 'Give the number of the ticket that stays.',
        },
      ],
      check: (values) =>
        /^\d+$/.test(str(values.into)) && Number(str(values.into)) !== number
          ? {}
          : { into: 'Give the number of another ticket, e.g. 1042.' },
      send: (values) => post('merge', { into: Number(str(values.into)) }),
      done: (changed) => `Merged into Ticket #${changed.mergedInto ?? ''}.`,
    },
    close: {
      title: 'Close',
      submit: 'Close the ticket',
      fields: [{ name: 'reason', label: 'Closing note (optional)', kind: 'text' }],
      send: (values) => post('close', str(values.reason) ? { reason: str(values.reason) } : {}),
      done: () => 'Closed.',
    },
    reopen: {
      title: 'Reopen',
      submit: 'Reopen',
      fields: [{ name: 'reason', label: 'Why it is reopened', kind: 'text', required: 'Say why.' }],
      send: (values) => post('reopen', { reason: str(values.reason) }),
      done: () => 'Reopened.',
    },
    assign: {
      title: 'Assign',
      submit: 'Save',
      fields: [
        {
          name: 'assignee',
          label: 'Assignee (email)',
          kind: 'email',
          initial: ticket.assignee ?? '',
          hint: `An agent of Tier ${owningTier(ticket.tier)}; leave empty to unassign.`,
        },
      ],
      send: (values) => patch({ assignee: str(values.assignee) || null }),
      done: (changed) =>
        changed.view === 'desk' && changed.assignee ? `Assigned to ${changed.assignee}.` : 'Unassigned.',
    },
    watchers: {
      title: 'Edit watchers',
      submit: 'Save',
      intro: 'Watchers get the public replies, as the requester does.',
      fields: [
        {
          name: 'watchers',
          label: 'Watchers (email addresses)',
          kind: 'textarea',
          initial: ticket.watchers.join('\n'),
          hint: 'One per line, or separated by commas; empty removes them all.',
        },
      ],
      check: (values) => {
        const wrong = addresses(values.watchers).filter((address) => !/^[^\s@]+@[^\s@]+$/.test(address));
        return wrong.length ? { watchers: `Not an email address: ${wrong.join(', ')}` } : {};
      },
      send: (values) => patch({ watchers: addresses(values.watchers) }),
      done: () => 'Watchers saved.',
    },
    fields: {
      title: 'Change priority, category, tags',
      submit: 'Save',
      fields: [
        {
          name: 'priority',
          label: 'Priority',
          kind: 'select',
          options: PRIORITY_OPTIONS,
          initial: ticket.priority,
        },
        {
          name: 'category',
          label: 'Category',
          kind: 'text',
          initial: ticket.category ?? '',
          hint: 'A lower-case path like hardware/printer; empty removes it.',
        },
        {
          name: 'tags',
          label: 'Tags',
          kind: 'text',
          initial: ticket.tags.join(', '),
          hint: 'Separated by commas.',
        },
      ],
      check: (values) =>
        Object.keys(fieldChanges(ticket, values)).length ? {} : { priority: 'Change something first.' },
      send: (values) => patch(fieldChanges(ticket, values)),
      done: () => 'Saved.',
    },
  };
};

const addresses = (value: string | boolean | undefined): string[] =>
  str(value)
    .split(/[\s,;]+/)
    .filter(Boolean);

/** The PATCH body of the "fields" dialog: what differs from the ticket as loaded. */
const fieldChanges = (ticket: Ticket, values: Values): Record<string, unknown> => {
  const changes: Record<string, unknown> = {};
  if (str(values.priority) && str(values.priority) !== ticket.priority)
    changes.priority = str(values.priority);
  const category = str(values.category);
  if (category !== (ticket.category ?? '')) changes.category = category || null;
  const tags = str(values.tags)
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
  if (tags.join(',') !== ticket.tags.join(',')) changes.tags = tags;
  return changes;
};

const Field = ({
  id,
  spec,
  value,
  error,
  onChange,
}: {
  id: string;
  spec: FieldSpec;
  value: string | boolean | undefined;
  error: string | undefined;
  onChange: (value: string | boolean) => void;
}) => {
  const attributes = describedBy(id, error, Boolean(spec.hint));
  const label = (
    <>
      {spec.label}
      {spec.required && <span class="required"> (required)</span>}
    </>
  );
  const hint = spec.hint && (
    <p class="hint" id={`${id}-hint`}>
      {spec.hint}
    </p>
  );
  if (spec.kind === 'checkbox') {
    return (
      <div class="field checkbox">
        <label for={id} class="inline">
          <input
            type="checkbox"
            {...attributes}
            checked={value === true}
            onChange={(event) => onChange((event.target as HTMLInputElement).checked)}
          />{' '}
          {label}
        </label>
        {hint}
        <FieldError id={id} error={error} />
      </div>
    );
  }
  const input = (event: Event) => onChange((event.target as HTMLInputElement).value);
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {spec.kind === 'textarea' ? (
        <textarea {...attributes} value={String(value ?? '')} onInput={input} />
      ) : spec.kind === 'select' ? (
        <select {...attributes} value={String(value ?? '')} onChange={input}>
          {!spec.initial && <option value="">Choose…</option>}
          {spec.options?.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...attributes}
          type={spec.kind === 'email' ? 'email' : 'text'}
          inputMode={spec.kind === 'number' ? 'numeric' : undefined}
          autocomplete="off"
          list={undefined}
          value={String(value ?? '')}
          onInput={input}
        />
      )}
      {hint}
      <FieldError id={id} error={error} />
    </div>
  );
};

const ActionForm = ({ name, spec, onDone }: { name: ActionKey; spec: ActionSpec; onDone: () => void }) => {
  const ticket = useTicket();
  const [values, setValues] = useState<Values>(() =>
    Object.fromEntries(
      spec.fields.map((field) => [field.name, field.initial ?? (field.kind === 'checkbox' ? false : '')]),
    ),
  );
  const [own, setOwn] = useState<Record<string, string | undefined>>({});
  const submission = useSubmit(ticket, async () => {
    const answer = await spec.send(values);
    ticket.changed(answer, spec.done(answer.data));
    onDone();
  });
  const names = spec.fields.map((field) => field.name);
  const onSubmit = (event: Event) => {
    event.preventDefault();
    const missing: Record<string, string | undefined> = {};
    for (const field of spec.fields) {
      if (field.required && !str(values[field.name])) missing[field.name] = field.required;
    }
    const problems = { ...(spec.check?.(values) ?? {}), ...missing };
    setOwn(problems);
    const first = names.find((field) => problems[field]);
    if (first) {
      document.getElementById(`${name}-${first}`)?.focus();
      return;
    }
    void submission.submit();
  };
  return (
    <form noValidate onSubmit={onSubmit} class="action-form">
      {spec.intro && <p class="hint">{spec.intro}</p>}
      {spec.fields.map((field) => (
        <Field
          key={field.name}
          id={`${name}-${field.name}`}
          spec={field}
          value={values[field.name]}
          error={fieldError(own, submission.problem, field.name)}
          onChange={(value) => {
            setValues((previous) => ({ ...previous, [field.name]: value }));
            if (own[field.name]) setOwn((previous) => ({ ...previous, [field.name]: undefined }));
          }}
        />
      ))}
      <SubmitStatus submission={submission} fields={names} />
      <div class="actions">
        <button type="submit" class="primary" disabled={submission.busy}>
          {submission.busy ? 'Working…' : spec.submit}
        </button>
      </div>
    </form>
  );
};

const BUTTON: Record<ActionKey, string> = {
  escalate: 'Escalate…',
  pending: 'Set pending…',
  resolve: 'Resolve…',
  handoff: 'Hand off to a vendor…',
  'vendor-update': 'Record vendor update…',
  merge: 'Merge…',
  close: 'Close…',
  reopen: 'Reopen…',
  assign: 'Assign or unassign…',
  watchers: 'Edit watchers…',
  fields: 'Change priority, category, tags…',
};

/** The side panel: assignment ("assign to me"), then the actions the ticket's status allows. */
export const ActionsPanel = ({
  open,
  setOpen,
  presence,
}: {
  open: ActionKey | undefined;
  setOpen: (key: ActionKey | undefined) => void;
  presence: { pause(): Promise<void>; resume(): void };
}) => {
  const context = useTicket();
  const { ticket, me } = context;
  const vendors = useApi<Vendors>(isSupervisor(me) ? '/admin/config/vendors' : undefined);
  const all = specs(context, vendors.data, presence);
  const offered = offeredActions(ticket, me);
  const mine = ticket.assignee?.toLowerCase() === me.email.toLowerCase();
  const assignMe = useSubmit(context, async () => {
    const answer = await api.patch<TicketView>(
      `/tickets/${context.number}`,
      { assignee: me.email },
      { ifMatch: ifMatchOf(ticket) },
    );
    context.changed(answer, 'Assigned to you.');
  });
  const spec = open ? all[open] : undefined;
  return (
    <section class="card ticket-actions" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      <p>
        Assignee: <strong>{ticket.assignee ?? 'nobody yet'}</strong>
      </p>
      {offered.includes('assign') && !mine && (
        <div class="actions">
          <button
            id="assign-me"
            type="button"
            class="primary"
            disabled={assignMe.busy}
            onClick={() => void assignMe.submit()}
          >
            {assignMe.busy ? 'Assigning…' : 'Assign to me'}
          </button>
        </div>
      )}
      <SubmitStatus submission={assignMe} />
      {offered.length === 0 ? (
        <p class="hint">Nothing more can be done on a closed ticket; internal notes can still be added.</p>
      ) : (
        <ul class="action-list">
          {offered.map((key) => (
            <li key={key}>
              <button type="button" onClick={() => setOpen(key)} data-action={key}>
                {BUTTON[key]}
              </button>
            </li>
          ))}
        </ul>
      )}
      <Dialog title={spec?.title ?? ''} open={spec !== undefined} onClose={() => setOpen(undefined)}>
        {open && spec && <ActionForm key={open} name={open} spec={spec} onDone={() => setOpen(undefined)} />}
      </Dialog>
    </section>
  );
};
