import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, query } from '../../api/client.ts';
import { ProblemError } from '../../api/problem.ts';
import type { DeskTicket, TicketPage } from '../../api/types.ts';
import { formatDateTime } from '../../ui/format.ts';
import { ErrorNotice, Loading } from '../../ui/status.tsx';
import { useApi } from '../../ui/use-api.ts';
import { TimeZoneOptions } from './calendars.tsx';
import {
  AdminPage,
  Announcement,
  asProblem,
  Field,
  fieldId,
  GroupError,
  SaveProblem,
  TextField,
  useAction,
} from './form-kit.tsx';
import { ROLE_TEXT, StatusBadges, useActivation } from './people-kit.tsx';
import { type Group, type Person, type PersonPage, type ReassignReport, ROLES } from './types.ts';

/**
 * One person of the directory (`/admin/people?person=email`, or `?new`): their entry (name, role,
 * tier groups, time zone, out-of-office) saved with If-Match, their status, and their open
 * tickets with "move them" to another agent or back to a group.
 */

interface PersonDraft {
  email: string;
  name: string;
  role: Person['role'];
  groups: string[];
  timeZone: string;
  awayFrom: string;
  awayUntil: string;
  awayNote: string;
}

/** An instant as a `datetime-local` input shows it: the browser's local time, to the minute. */
const localInput = (iso: string | undefined): string => {
  if (!iso) return '';
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocalInput = (value: string): string | undefined =>
  value ? new Date(value).toISOString() : undefined;

const draftOf = (person: Person | undefined): PersonDraft => ({
  email: person?.email ?? '',
  name: person?.name ?? '',
  role: person?.role ?? 'agent',
  groups: person?.groups ?? [],
  timeZone: person?.timeZone ?? 'Europe/Berlin',
  awayFrom: localInput(person?.outOfOffice?.from),
  awayUntil: localInput(person?.outOfOffice?.until),
  awayNote: person?.outOfOffice?.note ?? '',
});

const bodyOf = (draft: PersonDraft) => {
  const from = fromLocalInput(draft.awayFrom);
  const until = fromLocalInput(draft.awayUntil);
  const note = draft.awayNote.trim();
  return {
    name: draft.name.trim(),
    role: draft.role,
    // Only agents belong to tier groups.
    groups: draft.role === 'agent' ? draft.groups : [],
    timeZone: draft.timeZone.trim() || 'UTC',
    ...((from || until || note) && {
      outOfOffice: { ...(from && { from }), ...(until && { until }), ...(note && { note }) },
    }),
  };
};

const LABELS = {
  path: 'Email',
  email: 'address',
  name: 'Name',
  role: 'Role',
  groups: 'Tier groups',
  timeZone: 'Time zone',
  outOfOffice: 'Out of office',
  from: 'from',
  until: 'until',
  note: 'note',
};

const FORM = 'person';

const PersonForm = ({
  draft,
  set,
  isNew,
  problem,
  groups,
}: {
  draft: PersonDraft;
  set: (next: PersonDraft) => void;
  isNew: boolean;
  problem?: ProblemError;
  groups: Group[];
}) => {
  const groupsInvalid =
    problem?.status === 422 &&
    problem.errors.some((issue) => issue.field === 'body.groups' || issue.field.startsWith('body.groups['));
  return (
    <>
      {isNew && (
        <Field
          form={FORM}
          path="path.email"
          label="Email"
          hint="The address they sign in with."
          problem={problem}
        >
          {(props) => (
            <input
              {...props}
              type="email"
              autocomplete="off"
              value={draft.email}
              onInput={(e) => set({ ...draft, email: e.currentTarget.value })}
            />
          )}
        </Field>
      )}
      <TextField
        form={FORM}
        path="name"
        label="Name"
        problem={problem}
        value={draft.name}
        onValue={(value) => set({ ...draft, name: value })}
      />
      <Field
        form={FORM}
        path="role"
        label="Role"
        hint="Agents work tickets in their groups' tiers; supervisors also read reports and the configuration; admins change it and this directory."
        problem={problem}
      >
        {(props) => (
          <select
            {...props}
            value={draft.role}
            onChange={(e) => set({ ...draft, role: e.currentTarget.value as Person['role'] })}
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {ROLE_TEXT[role]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {draft.role === 'agent' && (
        <fieldset
          class="group-choice"
          aria-describedby={groupsInvalid ? `${fieldId(FORM, 'groups')}-error` : undefined}
        >
          <legend>Tier groups</legend>
          <p class="hint">An agent belongs to at least one; their tiers are their groups' tiers.</p>
          {groups.length === 0 && <Loading what="Loading the groups" />}
          {groups.map((group) => {
            const id = fieldId(FORM, `group-${group.id}`);
            return (
              <div key={group.id} class="check">
                <input
                  id={id}
                  type="checkbox"
                  aria-invalid={groupsInvalid ? 'true' : undefined}
                  checked={draft.groups.includes(group.id)}
                  onChange={(e) =>
                    set({
                      ...draft,
                      groups: e.currentTarget.checked
                        ? [...draft.groups, group.id]
                        : draft.groups.filter((candidate) => candidate !== group.id),
                    })
                  }
                />
                <label for={id}>
                  {group.name} ({group.id}, Tier {group.tier})
                </label>
              </div>
            );
          })}
          <GroupError
            form={FORM}
            path="groups"
            problem={problem}
            nested={(rest) => `group ${Number(rest.replace(/\D/g, '')) + 1}`}
          />
        </fieldset>
      )}
      <Field
        form={FORM}
        path="timeZone"
        label="Time zone"
        hint="An IANA time zone, such as Europe/Berlin."
        problem={problem}
      >
        {(props) => (
          <input
            {...props}
            list={`${FORM}-zones`}
            autocomplete="off"
            value={draft.timeZone}
            onInput={(e) => set({ ...draft, timeZone: e.currentTarget.value })}
          />
        )}
      </Field>
      <TimeZoneOptions id={`${FORM}-zones`} />
      <fieldset>
        <legend>Out of office</legend>
        <p class="hint">
          While away they get no new automatic assignments (their open tickets stay theirs). Leave both empty
          when they are not away; either end may stay open.
        </p>
        <Field form={FORM} path="outOfOffice.from" label="Away from" problem={problem}>
          {(props) => (
            <input
              {...props}
              type="datetime-local"
              value={draft.awayFrom}
              onInput={(e) => set({ ...draft, awayFrom: e.currentTarget.value })}
            />
          )}
        </Field>
        <Field form={FORM} path="outOfOffice.until" label="Back on" problem={problem}>
          {(props) => (
            <input
              {...props}
              type="datetime-local"
              value={draft.awayUntil}
              onInput={(e) => set({ ...draft, awayUntil: e.currentTarget.value })}
            />
          )}
        </Field>
        <TextField
          form={FORM}
          path="outOfOffice.note"
          label="Note"
          problem={problem}
          value={draft.awayNote}
          onValue={(value) => set({ ...draft, awayNote: value })}
        />
        {(draft.awayFrom || draft.awayUntil || draft.awayNote) && (
          <button type="button" onClick={() => set({ ...draft, awayFrom: '', awayUntil: '', awayNote: '' })}>
            Not away
          </button>
        )}
      </fieldset>
    </>
  );
};

const TICKETS_PAGE = 25;

/** The person's open tickets, and moving them all to another agent or back to a group. */
const OpenTickets = ({ person, groups }: { person: Person; groups: Group[] }) => {
  const [tickets, setTickets] = useState<DeskTicket[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ProblemError>();
  const [target, setTarget] = useState<'person' | 'group'>('group');
  const [to, setTo] = useState('');
  const [group, setGroup] = useState(person.groups[0] ?? '');
  const [report, setReport] = useState<ReassignReport>();
  const agents = useApi<PersonPage>(`/admin/users${query({ role: 'agent', active: 'true', limit: 100 })}`);
  const move = useAction();
  const generation = useRef(0);
  const base = `/admin/users/${encodeURIComponent(person.email)}`;

  const load = async (next?: string) => {
    const mine = ++generation.current;
    setLoading(true);
    setError(undefined);
    try {
      const { data } = await api.get<TicketPage>(
        `${base}/open-tickets${query({ limit: TICKETS_PAGE, cursor: next })}`,
      );
      if (mine !== generation.current) return;
      const desk = data.items.filter((ticket): ticket is DeskTicket => ticket.view === 'desk');
      setTickets((before) => (next ? [...before, ...desk] : desk));
      setCursor(data.nextCursor);
    } catch (failure) {
      if (mine === generation.current) setError(asProblem(failure));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  };
  useEffect(() => {
    void load();
  }, [person.email]);

  const others = (agents.data?.items ?? []).filter((agent) => agent.email !== person.email);
  const submit = () =>
    move.run(async () => {
      setReport(undefined);
      if (target === 'person' && !to) {
        throw new ProblemError(422, 'Whom to?', undefined, [
          { field: 'body.to', message: 'choose an agent' },
        ]);
      }
      if (target === 'group' && !group) {
        throw new ProblemError(422, 'Which group?', undefined, [
          { field: 'body.group', message: 'choose a group' },
        ]);
      }
      const { data } = await api.post<ReassignReport>(
        `${base}/reassign`,
        target === 'person' ? { to } : { group },
      );
      setReport(data);
      await load();
    });

  return (
    <section class="card" aria-labelledby="open-tickets-title">
      <h2 id="open-tickets-title">Open tickets</h2>
      {error && <ErrorNotice error={error} retry={() => void load()} />}
      {!loading && !error && tickets.length === 0 && !cursor && <p>{person.name} holds no open tickets.</p>}
      {tickets.length > 0 && (
        <table class="responsive">
          <caption class="visually-hidden">Open tickets assigned to {person.name}, by deadline</caption>
          <thead>
            <tr>
              <th scope="col">Ticket</th>
              <th scope="col">Subject</th>
              <th scope="col">Priority</th>
              <th scope="col">Status</th>
              <th scope="col">Tier and group</th>
              <th scope="col">Due</th>
            </tr>
          </thead>
          <tbody>
            {tickets.map((ticket) => (
              <tr key={ticket.number}>
                <td data-label="Ticket">
                  <a href={`/tickets/${ticket.number}`}>#{ticket.number}</a>
                </td>
                <td data-label="Subject">{ticket.subject}</td>
                <td data-label="Priority">{ticket.priority}</td>
                <td data-label="Status">{ticket.status.replace('_', ' ')}</td>
                <td data-label="Tier and group">
                  Tier {ticket.tier}, {ticket.group}
                </td>
                <td data-label="Due">{formatDateTime(ticket.dueAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {loading && <Loading what="Loading their open tickets" />}
      {cursor && !loading && (
        <button type="button" onClick={() => void load(cursor)}>
          Load more tickets
        </button>
      )}
      {(tickets.length > 0 || report) && (
        <form
          class="move-tickets"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <fieldset>
            <legend>Move them all</legend>
            <p class="hint">
              Every open ticket of theirs moves; a ticket the target does not work (another tier) stays, and
              the report says why. Moving twice moves nothing twice.
            </p>
            <div class="check">
              <input
                id="move-to-group"
                type="radio"
                name="move-target"
                checked={target === 'group'}
                onChange={() => setTarget('group')}
              />
              <label for="move-to-group">Back to a group, unassigned</label>
            </div>
            <div class="check">
              <input
                id="move-to-person"
                type="radio"
                name="move-target"
                checked={target === 'person'}
                onChange={() => setTarget('person')}
              />
              <label for="move-to-person">To another agent</label>
            </div>
            {target === 'group' ? (
              <Field form="move" path="group" label="Group" problem={move.problem}>
                {(props) => (
                  <select {...props} value={group} onChange={(e) => setGroup(e.currentTarget.value)}>
                    <option value="">Choose a group</option>
                    {groups.map((option) => (
                      <option key={option.id} value={option.id}>
                        {option.name} ({option.id}, Tier {option.tier})
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : (
              <Field form="move" path="to" label="Agent" problem={move.problem}>
                {(props) => (
                  <select {...props} value={to} onChange={(e) => setTo(e.currentTarget.value)}>
                    <option value="">Choose an agent</option>
                    {others.map((agent) => (
                      <option key={agent.email} value={agent.email}>
                        {agent.name} ({agent.email}; {agent.groups.join(', ')})
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
          </fieldset>
          {move.problem && move.problem.status !== 422 && <ErrorNotice error={move.problem} />}
          <div class="actions">
            <button type="submit" class="primary" disabled={move.busy}>
              {move.busy ? 'Moving…' : 'Move them'}
            </button>
          </div>
        </form>
      )}
      <div aria-live="polite">
        {report && (
          <div class="notice notice-info">
            <p>
              <strong>
                Moved {report.moved.length} ticket{report.moved.length === 1 ? '' : 's'}
              </strong>
              {report.moved.length > 0 &&
                `: ${report.moved
                  .map((moved) => `#${moved.number} → ${moved.to ?? `group ${moved.group}`}`)
                  .join(', ')}`}
              .
            </p>
            {report.skipped.length > 0 && (
              <>
                <p>Left where they were:</p>
                <ul>
                  {report.skipped.map((skipped) => (
                    <li key={skipped.number}>
                      #{skipped.number}: {skipped.reason}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
      </div>
    </section>
  );
};

export const PersonEditor = ({ email, groups }: { email?: string; groups: Group[] }) => {
  const { route } = useLocation();
  const isNew = email === undefined;
  const path = isNew ? undefined : `/admin/users/${encodeURIComponent(email)}`;
  const loaded = useApi<Person>(path);
  const [person, setPerson] = useState<Person>();
  const [etag, setEtag] = useState<string>();
  const [draft, setDraft] = useState<PersonDraft | undefined>(() => (isNew ? draftOf(undefined) : undefined));
  const [announcement, setAnnouncement] = useState<string>();
  const save = useAction();

  useEffect(() => {
    if (!loaded.data) return;
    setPerson(loaded.data);
    setEtag(loaded.etag);
    setDraft(draftOf(loaded.data));
  }, [loaded.data]);
  useEffect(() => {
    if (save.problem?.status !== 422 && save.problem?.status !== 400) return;
    document
      .querySelector<HTMLElement>(`#${FORM} [aria-invalid="true"], #${FORM} .group-choice input`)
      ?.focus();
  }, [save.problem]);

  const activation = useActivation((changed, message) => {
    setPerson(changed);
    setAnnouncement(message);
    void loaded.reload();
  });

  const submit = () =>
    save.run(async () => {
      if (!draft) return;
      const address = isNew ? draft.email.trim().toLowerCase() : (email ?? '');
      if (isNew && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) {
        throw new ProblemError(422, 'Not saved', undefined, [
          { field: 'path.email', message: 'must be an email address, such as nia@example.com' },
        ]);
      }
      const answer = await api
        .put<Person>(`/admin/users/${encodeURIComponent(address)}`, bodyOf(draft), {
          ...(!isNew && { ifMatch: etag ?? '*' }),
        })
        .catch((error: unknown) => {
          // Adding someone who is in the directory already: the address is the problem.
          if (isNew && error instanceof ProblemError && error.status === 428) {
            throw new ProblemError(422, 'Not saved', undefined, [
              {
                field: 'path.email',
                message: 'is in the directory already: open them from the list to change them',
              },
            ]);
          }
          throw error;
        });
      if (isNew) {
        route(`/admin/people${query({ person: answer.data.email })}`, true);
        return;
      }
      setPerson(answer.data);
      setEtag(answer.etag);
      setDraft(draftOf(answer.data));
      setAnnouncement(`Saved ${answer.data.name}.`);
    });

  const reload = async () => {
    save.setProblem(undefined);
    await loaded.reload();
  };

  const title = isNew ? 'Add a person' : (person?.name ?? email ?? 'Person');
  return (
    <AdminPage title={title}>
      <p>
        <a href="/admin/people">Back to the people</a>
      </p>
      {!isNew && loaded.error && !person && (
        <ErrorNotice error={loaded.error} retry={() => void loaded.reload()} />
      )}
      {!draft && !loaded.error && <Loading what="Loading the person" />}
      <Announcement message={announcement} />
      {person && (
        <section class="card person-status" aria-labelledby="status-title">
          <h2 id="status-title">Status</h2>
          <p>
            {person.email} · {ROLE_TEXT[person.role]}
            {person.tiers.length > 0 && ` · Tier ${person.tiers.join(', ')}`} ·{' '}
            <StatusBadges person={person} />
          </p>
          <p class="hint">Last changed {formatDateTime(person.updatedAt)}.</p>
          {activation.problem && <SaveProblem problem={activation.problem} what={person.name} />}
          <div class="actions">
            {person.active ? (
              <button type="button" disabled={activation.busy} onClick={() => activation.deactivate(person)}>
                Deactivate
              </button>
            ) : (
              <button type="button" disabled={activation.busy} onClick={() => activation.reactivate(person)}>
                Reactivate
              </button>
            )}
          </div>
          {activation.dialog}
        </section>
      )}
      {draft && (
        <section aria-labelledby="entry-title">
          <h2 id="entry-title">{isNew ? 'Their entry' : 'Directory entry'}</h2>
          <form
            id={FORM}
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              void submit();
            }}
          >
            <PersonForm draft={draft} set={setDraft} isNew={isNew} problem={save.problem} groups={groups} />
            {save.problem && (
              <SaveProblem
                problem={save.problem}
                what={isNew ? 'this person' : `${person?.name ?? 'this person'}'s entry`}
                labels={LABELS}
                onReload={() => void reload()}
              />
            )}
            <div class="actions form-actions">
              <button type="submit" class="primary" disabled={save.busy}>
                {save.busy ? 'Saving…' : isNew ? 'Add them' : 'Save'}
              </button>
              <a class="button" href="/admin/people">
                Cancel
              </a>
            </div>
          </form>
        </section>
      )}
      {person && <OpenTickets person={person} groups={groups} />}
    </AdminPage>
  );
};
