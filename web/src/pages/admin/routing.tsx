import { useEffect, useRef } from 'preact/hooks';
import { TimeZoneOptions } from './calendars.tsx';
import { Field, GroupError, TextField } from './form-kit.tsx';
import { defineKind, type FormProps, listOf } from './kind-spec.ts';
import { type DeskConfig, LEVELS, PRIORITIES, type Routing, type Settings } from './types.ts';

/** The one-of-a-kind parts: category routing and the desk-wide settings. */

interface RouteRow {
  key: number;
  category: string;
  group: string;
}

interface RoutingDraft {
  default: string;
  categories: RouteRow[];
}

let rowKey = 0;

const GroupOptions = ({ config, value }: { config: DeskConfig; value: string }) => (
  <>
    {!config.groups.some((group) => group.id === value) && (
      <option value={value}>{value || 'Choose a group'}</option>
    )}
    {config.groups.map((group) => (
      <option key={group.id} value={group.id}>
        {group.name} ({group.id}, Tier {group.tier})
      </option>
    ))}
  </>
);

const RoutingForm = ({ form, draft, set, problem, config }: FormProps<RoutingDraft>) => {
  const added = useRef(false);
  const lastCategory = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (added.current) lastCategory.current?.focus();
    added.current = false;
  }, [draft.categories.length]);
  const setRow = (index: number, patch: Partial<RouteRow>) =>
    set({
      ...draft,
      categories: draft.categories.map((row, i) => (i === index ? { ...row, ...patch } : row)),
    });
  return (
    <>
      <Field
        form={form}
        path="default"
        label="Default group"
        hint="Where a ticket starts when no category route matches."
        problem={problem}
      >
        {(props) => (
          <select
            {...props}
            value={draft.default}
            onChange={(e) => set({ ...draft, default: e.currentTarget.value })}
          >
            <GroupOptions config={config} value={draft.default} />
          </select>
        )}
      </Field>
      <fieldset>
        <legend>Category routes</legend>
        <p class="hint">
          A category takes everything below it (<code>network</code> routes <code>network/vpn</code>); the
          longest match wins. Lower case, <code>/</code> between levels.
        </p>
        <GroupError form={form} path="categories" problem={problem} />
        {draft.categories.length > 0 && (
          <table class="responsive row-table routes-table">
            <caption class="visually-hidden">Category routes</caption>
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col">Group</th>
                <th scope="col">
                  <span class="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {draft.categories.map((row, index) => (
                <tr key={row.key} class="route-row">
                  <td data-label="Category">
                    <Field
                      form={form}
                      path={`categories[${index}].category`}
                      label={<span class="visually-hidden">Category of route {index + 1}</span>}
                      problem={problem}
                    >
                      {(props) => (
                        <input
                          {...props}
                          ref={index === draft.categories.length - 1 ? lastCategory : undefined}
                          value={row.category}
                          onInput={(e) => setRow(index, { category: e.currentTarget.value })}
                        />
                      )}
                    </Field>
                  </td>
                  <td data-label="Group">
                    <Field
                      form={form}
                      path={`categories[${index}].group`}
                      label={<span class="visually-hidden">Group of route {index + 1}</span>}
                      problem={problem}
                    >
                      {(props) => (
                        <select
                          {...props}
                          value={row.group}
                          onChange={(e) => setRow(index, { group: e.currentTarget.value })}
                        >
                          <GroupOptions config={config} value={row.group} />
                        </select>
                      )}
                    </Field>
                  </td>
                  <td class="row-action">
                    <button
                      type="button"
                      aria-label={`Remove route ${index + 1}${row.category ? ` (${row.category})` : ''}`}
                      onClick={() =>
                        set({ ...draft, categories: draft.categories.filter((_, i) => i !== index) })
                      }
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <button
          type="button"
          onClick={() => {
            added.current = true;
            set({
              ...draft,
              categories: [...draft.categories, { key: ++rowKey, category: '', group: draft.default }],
            });
          }}
        >
          Add a route
        </button>
      </fieldset>
    </>
  );
};

export const ROUTING = defineKind<Routing, RoutingDraft>({
  kind: 'routing',
  title: 'Routing',
  one: 'routing',
  intro:
    'Where a new ticket starts, by its category: the group (and so the tier). A route that open tickets were filed under cannot be taken away.',
  labels: { default: 'Default group', categories: 'Category routes', category: 'category', group: 'group' },
  toDraft: (routing, config) => ({
    default: routing?.default ?? config.groups[0]?.id ?? '',
    categories: (routing?.categories ?? []).map((route) => ({ key: ++rowKey, ...route })),
  }),
  fromDraft: (draft) => ({
    default: draft.default,
    categories: draft.categories.map((row) => ({ category: row.category.trim(), group: row.group })),
  }),
  Form: RoutingForm,
});

type Priority = (typeof PRIORITIES)[number];
type Level = (typeof LEVELS)[number];

interface SettingsDraft {
  timeZone: string;
  defaultPolicy: string;
  byPriority: Record<Priority, string>;
  priorityMatrix: Record<Level, Record<Level, Priority>>;
  reopenWindow: string;
  pendingReminder: string;
  pendingAutoClose: string;
  orgDomains: string;
}

const SettingsForm = ({ form, draft, set, problem, config }: FormProps<SettingsDraft>) => {
  const text = (
    key: 'reopenWindow' | 'pendingReminder' | 'pendingAutoClose',
    label: string,
    hint: string,
  ) => (
    <TextField
      form={form}
      path={key}
      label={label}
      hint={hint}
      problem={problem}
      value={draft[key]}
      onValue={(value) => set({ ...draft, [key]: value })}
    />
  );
  const policyOptions = config.policies.map((policy) => (
    <option key={policy.id} value={policy.id}>
      {policy.name} ({policy.id})
    </option>
  ));
  return (
    <>
      <Field
        form={form}
        path="timeZone"
        label="The desk's time zone"
        hint="Report days and the desk's notices."
        problem={problem}
      >
        {(props) => (
          <input
            {...props}
            list={`${form}-zones`}
            autocomplete="off"
            value={draft.timeZone}
            onInput={(e) => set({ ...draft, timeZone: e.currentTarget.value })}
          />
        )}
      </Field>
      <TimeZoneOptions id={`${form}-zones`} />
      <fieldset>
        <legend>Which SLA policy a ticket pins at triage</legend>
        <Field form={form} path="policies.default" label="Default policy" problem={problem}>
          {(props) => (
            <select
              {...props}
              value={draft.defaultPolicy}
              onChange={(e) => set({ ...draft, defaultPolicy: e.currentTarget.value })}
            >
              {policyOptions}
            </select>
          )}
        </Field>
        {PRIORITIES.map((priority) => (
          <Field
            key={priority}
            form={form}
            path={`policies.byPriority.${priority}`}
            label={`${priority} tickets`}
            problem={problem}
          >
            {(props) => (
              <select
                {...props}
                value={draft.byPriority[priority]}
                onChange={(e) =>
                  set({ ...draft, byPriority: { ...draft.byPriority, [priority]: e.currentTarget.value } })
                }
              >
                <option value="">The default policy</option>
                {policyOptions}
              </select>
            )}
          </Field>
        ))}
      </fieldset>
      <fieldset>
        <legend>Priority from impact and urgency</legend>
        <table class="responsive matrix">
          <thead>
            <tr>
              <th scope="col">Impact \ urgency</th>
              {LEVELS.map((urgency) => (
                <th key={urgency} scope="col">
                  Urgency {urgency}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {LEVELS.map((impact) => (
              <tr key={impact}>
                <th scope="row">Impact {impact}</th>
                {LEVELS.map((urgency) => (
                  <td key={urgency} data-label={`Urgency ${urgency}`}>
                    <Field
                      form={form}
                      path={`priorityMatrix.${impact}.${urgency}`}
                      label={
                        <span class="visually-hidden">
                          Priority for impact {impact}, urgency {urgency}
                        </span>
                      }
                      problem={problem}
                    >
                      {(props) => (
                        <select
                          {...props}
                          value={draft.priorityMatrix[impact][urgency]}
                          onChange={(e) =>
                            set({
                              ...draft,
                              priorityMatrix: {
                                ...draft.priorityMatrix,
                                [impact]: {
                                  ...draft.priorityMatrix[impact],
                                  [urgency]: e.currentTarget.value,
                                },
                              },
                            })
                          }
                        >
                          {PRIORITIES.map((priority) => (
                            <option key={priority} value={priority}>
                              {priority}
                            </option>
                          ))}
                        </select>
                      )}
                    </Field>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </fieldset>
      <fieldset>
        <legend>Wall-time timers</legend>
        {text(
          'reopenWindow',
          'Reopen window',
          "After resolved, a requester's reply reopens within this; then the ticket closes.",
        )}
        {text(
          'pendingReminder',
          'Pending reminder',
          'A ticket pending on the requester reminds them after this.',
        )}
        {text(
          'pendingAutoClose',
          'Pending auto-close',
          'A ticket pending this long without an answer closes.',
        )}
      </fieldset>
      <Field
        form={form}
        path="orgDomains"
        label="The organization's mail domains"
        hint="Requesters may copy people of these domains as watchers. One a line."
        problem={problem}
        nested={(rest) => `domain ${Number(rest.replace(/\D/g, '')) + 1}`}
      >
        {(props) => (
          <textarea
            {...props}
            rows={3}
            class="short"
            value={draft.orgDomains}
            onInput={(e) => set({ ...draft, orgDomains: e.currentTarget.value })}
          />
        )}
      </Field>
    </>
  );
};

export const SETTINGS = defineKind<Settings, SettingsDraft>({
  kind: 'settings',
  title: 'Settings',
  one: 'settings',
  intro: 'Desk-wide settings: which policy a ticket pins, the priority matrix, the wall-time timers.',
  labels: {
    timeZone: "The desk's time zone",
    policies: 'Policies',
    priorityMatrix: 'Priority matrix',
    reopenWindow: 'Reopen window',
    pendingReminder: 'Pending reminder',
    pendingAutoClose: 'Pending auto-close',
    orgDomains: 'Mail domains',
  },
  toDraft: (settings, config) => ({
    timeZone: settings?.timeZone ?? 'UTC',
    defaultPolicy: settings?.policies.default ?? config.policies[0]?.id ?? '',
    byPriority: Object.fromEntries(
      PRIORITIES.map((priority) => [priority, settings?.policies.byPriority[priority] ?? '']),
    ) as Record<Priority, string>,
    priorityMatrix: Object.fromEntries(
      LEVELS.map((impact) => [
        impact,
        Object.fromEntries(
          LEVELS.map((urgency) => [urgency, settings?.priorityMatrix[impact]?.[urgency] ?? 'P3']),
        ),
      ]),
    ) as SettingsDraft['priorityMatrix'],
    reopenWindow: settings?.reopenWindow ?? '',
    pendingReminder: settings?.pendingReminder ?? '',
    pendingAutoClose: settings?.pendingAutoClose ?? '',
    orgDomains: (settings?.orgDomains ?? []).join('\n'),
  }),
  fromDraft: (draft) => ({
    timeZone: draft.timeZone.trim(),
    policies: {
      default: draft.defaultPolicy,
      byPriority: Object.fromEntries(
        PRIORITIES.flatMap((priority) =>
          draft.byPriority[priority] ? [[priority, draft.byPriority[priority]]] : [],
        ),
      ),
    },
    priorityMatrix: draft.priorityMatrix,
    reopenWindow: draft.reopenWindow.trim(),
    pendingReminder: draft.pendingReminder.trim(),
    pendingAutoClose: draft.pendingAutoClose.trim(),
    orgDomains: listOf(draft.orgDomains),
  }),
  Form: SettingsForm,
});
