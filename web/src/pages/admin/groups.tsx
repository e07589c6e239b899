import { Field, TextField } from './form-kit.tsx';
import { defineKind, type FormProps } from './kind-spec.ts';
import { ASSIGNMENT_MODES, type Group, type TierItem } from './types.ts';

/** Tier groups (their members are in the people directory) and the tiers' OLAs. */

const ASSIGNMENT_TEXT: Record<(typeof ASSIGNMENT_MODES)[number], string> = {
  manual: 'Manual: agents take tickets from the queue',
  round_robin: 'Round robin: each new ticket to the next available agent in turn',
  least_loaded: 'Least loaded: each new ticket to the available agent with the fewest open tickets',
};

interface GroupDraft {
  id: string;
  name: string;
  tier: string;
  assignment: (typeof ASSIGNMENT_MODES)[number];
}

const TierSelect = ({
  props,
  value,
  onChange,
  config,
}: {
  props: Record<string, unknown>;
  value: string;
  onChange: (tier: string) => void;
  config: FormProps<unknown>['config'];
}) => (
  <select {...props} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
    {[1, 2, 3].map((tier) => (
      <option key={tier} value={String(tier)}>
        Tier {tier}
        {config.tiers.find((item) => item.tier === tier)?.name
          ? ` — ${config.tiers.find((item) => item.tier === tier)?.name}`
          : ''}
      </option>
    ))}
  </select>
);

const GroupForm = ({ form, draft, set, isNew, problem, config }: FormProps<GroupDraft>) => (
  <>
    {isNew && (
      <TextField
        form={form}
        path="id"
        label="Id"
        hint="Lower-case letters, digits and dashes, such as tier2-network; routing and people name the group by it."
        problem={problem}
        value={draft.id}
        onValue={(value) => set({ ...draft, id: value })}
      />
    )}
    <TextField
      form={form}
      path="name"
      label="Name"
      problem={problem}
      value={draft.name}
      onValue={(value) => set({ ...draft, name: value })}
    />
    <Field form={form} path="tier" label="Tier" problem={problem}>
      {(props) => (
        <TierSelect
          props={{ ...props }}
          value={draft.tier}
          onChange={(tier) => set({ ...draft, tier })}
          config={config}
        />
      )}
    </Field>
    <Field
      form={form}
      path="assignment"
      label="Assignment"
      hint="How new tickets in the group find an agent. Deactivated and out-of-office agents get none."
      problem={problem}
    >
      {(props) => (
        <select
          {...props}
          value={draft.assignment}
          onChange={(e) => set({ ...draft, assignment: e.currentTarget.value as GroupDraft['assignment'] })}
        >
          {ASSIGNMENT_MODES.map((mode) => (
            <option key={mode} value={mode}>
              {ASSIGNMENT_TEXT[mode]}
            </option>
          ))}
        </select>
      )}
    </Field>
    <p class="hint">
      The group's members are the agents whose directory entry names it: <a href="/admin/people">People</a>.
    </p>
  </>
);

export const GROUPS = defineKind<Group, GroupDraft>({
  kind: 'groups',
  title: 'Groups',
  one: 'group',
  intro:
    'The tier groups tickets are routed and escalated to, and how each assigns its new tickets. A group that routing, a tier or an open ticket still uses cannot be deleted.',
  labels: { id: 'Id', name: 'Name', tier: 'Tier', assignment: 'Assignment' },
  toDraft: (group, config) => ({
    id: group?.id ?? '',
    name: group?.name ?? '',
    tier: String(group?.tier ?? config.tiers[0]?.tier ?? 1),
    assignment: group?.assignment ?? 'manual',
  }),
  fromDraft: (draft) => ({
    id: draft.id.trim(),
    name: draft.name.trim(),
    tier: Number(draft.tier),
    assignment: draft.assignment,
  }),
  idOf: (group) => group.id,
  draftId: (draft) => draft.id.trim(),
  idField: 'id',
  nameOf: (group) => group.name,
  columns: [
    { label: 'Tier', cell: (group) => `Tier ${group.tier}` },
    { label: 'Assignment', cell: (group) => group.assignment.replace('_', ' ') },
  ],
  Form: GroupForm,
  canDelete: true,
});

interface TierDraft {
  tier: string;
  name: string;
  ola: string;
  calendar: string;
  group: string;
}

const TierForm = ({ form, draft, set, isNew, problem, config }: FormProps<TierDraft>) => {
  const groups = config.groups.filter((group) => String(group.tier) === draft.tier);
  return (
    <>
      {isNew && (
        <Field form={form} path="tier" label="Tier" problem={problem}>
          {(props) => (
            <TierSelect
              props={{ ...props }}
              value={draft.tier}
              onChange={(tier) => set({ ...draft, tier })}
              config={config}
            />
          )}
        </Field>
      )}
      <TextField
        form={form}
        path="name"
        label="Name"
        problem={problem}
        value={draft.name}
        onValue={(value) => set({ ...draft, name: value })}
      />
      <TextField
        form={form}
        path="ola"
        label="OLA"
        hint="Business time a ticket may stay at this tier before it is escalated: 2h, 1d, 1h30m."
        problem={problem}
        value={draft.ola}
        onValue={(value) => set({ ...draft, ola: value })}
      />
      <Field
        form={form}
        path="calendar"
        label="Calendar"
        hint="The OLA counts on this calendar."
        problem={problem}
      >
        {(props) => (
          <select
            {...props}
            value={draft.calendar}
            onChange={(e) => set({ ...draft, calendar: e.currentTarget.value })}
          >
            {config.calendars.map((calendar) => (
              <option key={calendar.id} value={calendar.id}>
                {calendar.name} ({calendar.id})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        form={form}
        path="group"
        label="Escalations land in"
        hint="A group of this tier: where a ticket escalated into the tier starts."
        problem={problem}
      >
        {(props) => (
          <select
            {...props}
            value={draft.group}
            onChange={(e) => set({ ...draft, group: e.currentTarget.value })}
          >
            {!groups.some((group) => group.id === draft.group) && (
              <option value={draft.group}>{draft.group || 'Choose a group'}</option>
            )}
            {groups.map((group) => (
              <option key={group.id} value={group.id}>
                {group.name} ({group.id})
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
};

export const TIERS = defineKind<TierItem, TierDraft>({
  kind: 'tiers',
  title: 'Tiers',
  one: 'tier',
  intro:
    'Every desk has Tiers 1–3: each with its OLA, the calendar it counts on and the group escalations into it land in. Tier 4 is a vendor.',
  labels: { tier: 'Tier', name: 'Name', ola: 'OLA', calendar: 'Calendar', group: 'Escalations land in' },
  toDraft: (tier, config) => ({
    tier: String(tier?.tier ?? [1, 2, 3].find((n) => !config.tiers.some((item) => item.tier === n)) ?? 1),
    name: tier?.name ?? '',
    ola: tier?.ola ?? '',
    calendar: tier?.calendar ?? config.calendars[0]?.id ?? '',
    group: tier?.group ?? '',
  }),
  fromDraft: (draft) => ({
    tier: Number(draft.tier),
    name: draft.name.trim(),
    ola: draft.ola.trim(),
    calendar: draft.calendar,
    group: draft.group,
  }),
  idOf: (tier) => String(tier.tier),
  draftId: (draft) => draft.tier,
  idField: 'tier',
  nameOf: (tier) => tier.name,
  columns: [
    { label: 'OLA', cell: (tier) => tier.ola },
    { label: 'Calendar', cell: (tier) => tier.calendar },
    { label: 'Escalations land in', cell: (tier) => tier.group },
  ],
  Form: TierForm,
  canAdd: (count) => count < 3,
  canDelete: false,
});
