import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, query } from '../../api/client.ts';
import type { ProblemError } from '../../api/problem.ts';
import { ErrorNotice, Loading } from '../../ui/status.tsx';
import { useApi } from '../../ui/use-api.ts';
import { AdminPage, Announcement, asProblem, SaveProblem } from './form-kit.tsx';
import { ROLE_TEXT, StatusBadges, useActivation } from './people-kit.tsx';
import { PersonEditor } from './person.tsx';
import { type Group, type Person, type PersonPage, ROLES, type Section } from './types.ts';

/**
 * `/admin/people`: the people directory (admins) — who works at the desk, in which tier groups,
 * in which role. Filter by role, group and whether active; add a person; open one to edit them,
 * set them away, deactivate or reactivate them and move their open tickets (`?person=email`).
 */

const PAGE_SIZE = 25;

const Directory = ({ groups }: { groups: Group[] }) => {
  const { query: params, route } = useLocation();
  const role = params.role ?? '';
  const group = params.group ?? '';
  const active = params.active ?? '';
  const [people, setPeople] = useState<Person[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ProblemError>();
  const [announcement, setAnnouncement] = useState<string>();
  const generation = useRef(0);

  const load = async (next?: string) => {
    const mine = ++generation.current;
    setLoading(true);
    setError(undefined);
    try {
      const { data } = await api.get<PersonPage>(
        `/admin/users${query({ role, group, active, limit: PAGE_SIZE, cursor: next })}`,
      );
      if (mine !== generation.current) return;
      setPeople((before) => (next ? [...before, ...data.items] : data.items));
      setCursor(data.nextCursor);
    } catch (failure) {
      if (mine === generation.current) setError(asProblem(failure));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  };
  useEffect(() => {
    void load();
  }, [role, group, active]);

  const activation = useActivation((changed, message) => {
    setPeople((before) => before.map((person) => (person.email === changed.email ? changed : person)));
    setAnnouncement(message);
  });

  const setFilter = (key: string, value: string) =>
    route(`/admin/people${query({ role, group, active, [key]: value })}`, true);

  return (
    <>
      <form class="filters" aria-label="Filter the people" onSubmit={(event) => event.preventDefault()}>
        <div class="field">
          <label for="people-role">Role</label>
          <select id="people-role" value={role} onChange={(e) => setFilter('role', e.currentTarget.value)}>
            <option value="">Every role</option>
            {ROLES.map((option) => (
              <option key={option} value={option}>
                {ROLE_TEXT[option]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="people-group">Tier group</label>
          <select id="people-group" value={group} onChange={(e) => setFilter('group', e.currentTarget.value)}>
            <option value="">Any group</option>
            {groups.map((option) => (
              <option key={option.id} value={option.id}>
                {option.name} ({option.id})
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="people-active">Status</label>
          <select
            id="people-active"
            value={active}
            onChange={(e) => setFilter('active', e.currentTarget.value)}
          >
            <option value="">Active and deactivated</option>
            <option value="true">Active</option>
            <option value="false">Deactivated</option>
          </select>
        </div>
      </form>
      <Announcement message={announcement} />
      {activation.problem && <SaveProblem problem={activation.problem} what="them" />}
      {error && <ErrorNotice error={error} retry={() => void load()} />}
      <table class="responsive people">
        <caption class="visually-hidden">The people in the directory, by email</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Groups</th>
            <th scope="col">Time zone</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {!loading && people.length === 0 && !cursor && (
            <tr>
              <td colSpan={7}>Nobody matches these filters.</td>
            </tr>
          )}
          {people.map((person) => (
            <tr key={person.email}>
              <td data-label="Name">
                <a href={`/admin/people${query({ person: person.email })}`}>{person.name}</a>
              </td>
              <td data-label="Email">{person.email}</td>
              <td data-label="Role">{ROLE_TEXT[person.role]}</td>
              <td data-label="Groups">{person.groups.join(', ') || '—'}</td>
              <td data-label="Time zone">{person.timeZone}</td>
              <td data-label="Status">
                <StatusBadges person={person} />
              </td>
              <td data-label="Actions">
                <div class="actions">
                  <a
                    class="button"
                    href={`/admin/people${query({ person: person.email })}`}
                    aria-label={`Open ${person.name} (${person.email})`}
                  >
                    Open
                  </a>
                  {person.active ? (
                    <button
                      type="button"
                      disabled={activation.busy}
                      aria-label={`Deactivate ${person.email}`}
                      onClick={() => activation.deactivate(person)}
                    >
                      Deactivate
                    </button>
                  ) : (
                    <button
                      type="button"
                      disabled={activation.busy}
                      aria-label={`Reactivate ${person.email}`}
                      onClick={() => activation.reactivate(person)}
                    >
                      Reactivate
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {loading && <Loading what="Loading the people" />}
      {cursor && !loading && (
        <button type="button" onClick={() => void load(cursor)}>
          Load more people
        </button>
      )}
      {activation.dialog}
    </>
  );
};

export default function PeoplePage() {
  const { query: params } = useLocation();
  const groups = useApi<Section<Group>>('/admin/config/groups');
  const groupList = groups.data?.items.map(({ item }) => item) ?? [];
  const email = params.person;
  const adding = params.new !== undefined;
  if (email !== undefined || adding) {
    return <PersonEditor key={email ?? 'new'} email={email} groups={groupList} />;
  }
  return (
    <AdminPage
      title="People"
      actions={
        <a class="button primary" href="/admin/people?new">
          Add a person
        </a>
      }
    >
      <p class="intro">
        Who works at the desk: requesters need no entry; agents belong to tier groups, which give them their
        tiers. Access follows this directory within a minute.
      </p>
      {groups.error && <ErrorNotice error={groups.error} retry={() => void groups.reload()} />}
      <Directory groups={groupList} />
    </AdminPage>
  );
}
