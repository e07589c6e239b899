import { useState } from 'preact/hooks';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../ui/format.ts';
import { ConfirmDialog, SaveProblem, useAction } from './form-kit.tsx';
import type { Person } from './types.ts';

/** What the directory list and a person's page share: role names, status badges, (de)activation. */

export const ROLE_TEXT: Record<Person['role'], string> = {
  requester: 'Requester',
  agent: 'Agent',
  supervisor: 'Supervisor',
  admin: 'Admin',
  ops: 'Operations',
};

/** Whether the person is away now (out-of-office covers this instant). */
const awayNow = (person: Person, now = Date.now()): boolean => {
  const away = person.outOfOffice;
  if (!away || (!away.from && !away.until)) return false;
  return (!away.from || Date.parse(away.from) <= now) && (!away.until || Date.parse(away.until) > now);
};

export const StatusBadges = ({ person }: { person: Person }) => (
  <>
    {person.active ? <span class="badge ok">Active</span> : <span class="badge breached">Deactivated</span>}{' '}
    {person.outOfOffice && (person.outOfOffice.from || person.outOfOffice.until) && (
      <span class="badge paused">
        {awayNow(person) ? 'Away' : 'Away later'}
        {person.outOfOffice.until ? ` until ${formatDateTime(person.outOfOffice.until)}` : ''}
      </span>
    )}
  </>
);

/**
 * Deactivating and reactivating: a deactivated person is refused everywhere within a minute and
 * gets no new tickets; their open tickets stay theirs until moved. The last active admin cannot
 * be deactivated (409, shown as the desk says it).
 */
export const useActivation = (onChanged: (person: Person, message: string) => void) => {
  const [confirming, setConfirming] = useState<Person>();
  const action = useAction();
  const change = (person: Person, active: boolean) =>
    action.run(async () => {
      const { data } = await api.post<Person>(
        `/admin/users/${encodeURIComponent(person.email)}/${active ? 'reactivate' : 'deactivate'}`,
      );
      setConfirming(undefined);
      onChanged(
        data,
        active
          ? `${data.name} is active again.`
          : `${data.name} is deactivated. Their open tickets stay theirs until you move them.`,
      );
    });
  const dialog = (
    <ConfirmDialog
      open={confirming !== undefined}
      title={`Deactivate ${confirming?.name ?? ''}?`}
      confirmLabel="Deactivate"
      danger
      busy={action.busy}
      onConfirm={() => confirming && void change(confirming, false)}
      onClose={() => {
        setConfirming(undefined);
        action.setProblem(undefined);
      }}
    >
      <p>
        {confirming?.email} will be refused by the desk within a minute and gets no new tickets. Their open
        tickets stay theirs until you move them. You can reactivate them at any time.
      </p>
      {action.problem && <SaveProblem problem={action.problem} what={confirming?.name ?? 'them'} />}
    </ConfirmDialog>
  );
  return {
    busy: action.busy,
    /** A failed reactivation (a deactivation's problem is shown in its dialog). */
    problem: confirming ? undefined : action.problem,
    deactivate: (person: Person) => {
      action.setProblem(undefined);
      setConfirming(person);
    },
    reactivate: (person: Person) => void change(person, true),
    dialog,
  };
};
