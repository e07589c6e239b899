import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, query } from '../../api/client.ts';
import { useSession } from '../../session-context.ts';
import { openShortcutHelp, ShortcutHelp, type ShortcutMap, useShortcuts } from '../../ui/keyboard.ts';
import { ErrorNotice, Loading, Page } from '../../ui/status.tsx';
import {
  type ListedTicket,
  ListFooter,
  statusLabel,
  TicketTable,
  useTicketList,
} from '../../ui/ticket-list.tsx';

/**
 * The agent's queues: a tier's unresolved tickets, or those assigned to me, by next deadline
 * (the API's order), filtered by status, priority, group and category — all of it in the
 * address, so a view can be bookmarked and shared. The list refreshes itself every 10 seconds
 * and is worked from the keyboard (`?` lists the keys).
 */

const TIERS = [1, 2, 3, 4] as const;
const TIER_NAMES: Record<number, string> = { 1: 'Tier 1', 2: 'Tier 2', 3: 'Tier 3', 4: 'Tier 4 (vendor)' };
const QUEUE_STATUSES = ['new', 'open', 'pending', 'on_hold'] as const;
const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
const FILTERS = ['status', 'priority', 'group', 'category'] as const;
type Filter = (typeof FILTERS)[number];
const REFRESH_MS = 10_000;

interface Choice {
  value: string;
  label: string;
}

/**
 * Groups and categories to filter by: from the configuration for those who may read it
 * (supervisors, admins); for agents, the values of the rows they see, as suggestions.
 */
const useFilterChoices = (
  mayReadConfig: boolean,
  rows: ListedTicket[],
): { groups: Choice[]; categories: Choice[]; fromConfig: boolean } => {
  const [config, setConfig] = useState<{ groups: Choice[]; categories: Choice[] }>();
  useEffect(() => {
    if (!mayReadConfig) return;
    let live = true;
    Promise.all([
      api.get<{ items: { item: { id: string; name: string; tier: number } }[] }>('/admin/config/groups'),
      api.get<{ default: string; categories: { category: string }[] }>('/admin/config/routing'),
    ])
      .then(([groups, routing]) => {
        if (!live) return;
        setConfig({
          groups: groups.data.items.map(({ item }) => ({
            value: item.id,
            label: `${item.name} (${item.id}, Tier ${item.tier})`,
          })),
          categories: routing.data.categories.map(({ category }) => ({ value: category, label: category })),
        });
      })
      // Without the configuration the fields stay free text: nothing the queue needs is lost.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [mayReadConfig]);
  if (config) return { ...config, fromConfig: true };
  const seen = (pick: (row: ListedTicket) => string | undefined) =>
    [...new Set(rows.map(pick).filter((value): value is string => Boolean(value)))]
      .sort()
      .map((value) => ({ value, label: value }));
  return {
    groups: seen((row) => (row.view === 'desk' ? row.group : undefined)),
    categories: seen((row) => (row.view === 'desk' ? row.category : undefined)),
    fromConfig: false,
  };
};

/** A filter field: a select of the known values, or free text with the seen values suggested. */
const ChoiceField = ({
  name,
  label,
  value,
  choices,
  fromConfig,
  onChange,
}: {
  name: Filter;
  label: string;
  value: string;
  choices: Choice[];
  fromConfig: boolean;
  onChange: (value: string) => void;
}) =>
  fromConfig ? (
    <div class="field">
      <label for={`queue-${name}`}>{label}</label>
      <select
        id={`queue-${name}`}
        name={name}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
      >
        <option value="">Any</option>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  ) : (
    <div class="field">
      <label for={`queue-${name}`}>{label}</label>
      <input
        id={`queue-${name}`}
        name={name}
        list={`queue-${name}-seen`}
        defaultValue={value}
        key={value}
        autocomplete="off"
        spellcheck={false}
      />
      <datalist id={`queue-${name}-seen`}>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value} />
        ))}
      </datalist>
    </div>
  );

export default function Queue() {
  const { session } = useSession();
  const { query: search, route } = useLocation();
  const role = session?.role;
  const mayReadConfig = role === 'supervisor' || role === 'admin';
  // Agents work their tiers and those below; supervisors and admins every tier.
  const ceiling = role === 'agent' ? Math.max(0, ...(session?.tiers ?? [])) : TIERS.length;
  const workable = TIERS.filter((tier) => tier <= ceiling);

  const assigned = search.view === 'assigned';
  const askedTier = Number(search.tier);
  const tier = TIERS.find((candidate) => candidate === askedTier) ?? workable[0] ?? 1;
  const filters: Record<Filter, string> = {
    status: search.status ?? '',
    priority: search.priority ?? '',
    group: search.group ?? '',
    category: search.category ?? '',
  };
  // The address names the view as the tabs do (`?tier=2`, `?view=assigned`); the API its own way.
  const base = assigned ? { view: 'assigned' } : { tier: String(tier) };
  const params = {
    view: assigned ? 'assigned' : 'queue',
    ...base,
    ...Object.fromEntries(FILTERS.map((name) => [name, filters[name] || undefined])),
  };
  const list = useTicketList(params, { refreshMs: REFRESH_MS, filterHere: FILTERS });
  const choices = useFilterChoices(mayReadConfig, list.rows);

  const [selected, setSelected] = useState<number>();
  // Another view or other filters: the selection starts again from the top.
  const listKey = query(params);
  useEffect(() => setSelected(undefined), [listKey]);
  const table = useRef<HTMLDivElement>(null);
  const filterForm = useRef<HTMLFormElement>(null);

  const go = (next: Record<string, string | undefined>) => route(`/queue${query(next)}`);
  const withFilter = (name: Filter, value: string) => go({ ...base, ...filters, [name]: value || undefined });

  const select = (step: number) => {
    const rows = list.rows;
    if (rows.length === 0) return;
    const at = rows.findIndex((row) => row.number === selected);
    const next =
      at === -1 ? (step > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, at + step));
    const number = rows[next]?.number;
    setSelected(number);
    table.current?.querySelector<HTMLElement>(`tr[data-ticket="${number}"] a`)?.focus();
  };
  const open = () => {
    if (selected !== undefined && list.rows.some((row) => row.number === selected))
      route(`/tickets/${selected}`);
  };

  const shortcuts: ShortcutMap = {
    j: { description: 'Select the next ticket', run: () => select(1) },
    k: { description: 'Select the previous ticket', run: () => select(-1) },
    Enter: { description: 'Open the selected ticket', run: open },
    o: { description: 'Open the selected ticket', run: open },
    r: { description: 'Refresh the list now', run: () => void list.refresh() },
    ...Object.fromEntries(
      workable.map((number) => [
        String(number),
        { description: `${TIER_NAMES[number]} queue`, run: () => go({ tier: String(number) }) },
      ]),
    ),
    a: { description: 'Tickets assigned to me', run: () => go({ view: 'assigned' }) },
    '/': {
      description: 'Go to the filters',
      run: () => filterForm.current?.querySelector<HTMLElement>('select, input')?.focus(),
    },
  };
  useShortcuts(shortcuts);

  const title = assigned ? 'Assigned to me' : `${TIER_NAMES[tier]} queue`;
  const filtered = FILTERS.filter((name) => filters[name]);

  return (
    <Page
      title={title}
      actions={
        <>
          <button type="button" onClick={() => void list.refresh()}>
            Refresh
          </button>
          <button type="button" onClick={openShortcutHelp} aria-keyshortcuts="?">
            Keyboard shortcuts
          </button>
        </>
      }
    >
      <nav class="queue-tabs" aria-label="Queues">
        <ul>
          {workable.map((number) => (
            <li key={number}>
              <a
                href={`/queue?tier=${number}`}
                aria-current={!assigned && number === tier ? 'page' : undefined}
                aria-keyshortcuts={String(number)}
              >
                {TIER_NAMES[number]}
              </a>
            </li>
          ))}
          <li>
            <a href="/queue?view=assigned" aria-current={assigned ? 'page' : undefined} aria-keyshortcuts="a">
              Assigned to me
            </a>
          </li>
        </ul>
      </nav>

      <form
        ref={filterForm}
        class="queue-filters card"
        aria-label="Filters"
        onSubmit={(event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          go({
            ...base,
            ...Object.fromEntries(FILTERS.map((name) => [name, String(data.get(name) ?? '') || undefined])),
          });
        }}
      >
        <div class="field">
          <label for="queue-status">Status</label>
          <select
            id="queue-status"
            name="status"
            value={filters.status}
            onChange={(event) => withFilter('status', event.currentTarget.value)}
          >
            <option value="">Any unresolved</option>
            {QUEUE_STATUSES.map((status) => (
              <option key={status} value={status}>
                {statusLabel(status)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="queue-priority">Priority</label>
          <select
            id="queue-priority"
            name="priority"
            value={filters.priority}
            onChange={(event) => withFilter('priority', event.currentTarget.value)}
          >
            <option value="">Any</option>
            {PRIORITIES.map((priority) => (
              <option key={priority} value={priority}>
                {priority}
              </option>
            ))}
          </select>
        </div>
        <ChoiceField
          name="group"
          label="Group"
          value={filters.group}
          choices={choices.groups}
          fromConfig={choices.fromConfig}
          onChange={(value) => withFilter('group', value)}
        />
        <ChoiceField
          name="category"
          label="Category"
          value={filters.category}
          choices={choices.categories}
          fromConfig={choices.fromConfig}
          onChange={(value) => withFilter('category', value)}
        />
        <div class="filter-actions actions">
          <button type="submit" class="primary">
            Apply filters
          </button>
          {filtered.length > 0 && (
            <a class="button" href={`/queue${query(base)}`}>
              Clear filters
            </a>
          )}
        </div>
      </form>

      {list.filteredHere.length > 0 && (
        <p class="notice notice-info">
          Filtered by {list.filteredHere.join(', ')} among the tickets loaded so far: load more to look
          further.
        </p>
      )}
      {list.refreshError && (
        <p class="notice notice-warn" role="status">
          The list could not be refreshed ({list.refreshError.title}); it shows what was read before and tries
          again in a few seconds.
        </p>
      )}

      {list.loading ? (
        <Loading what="Loading the queue" />
      ) : list.error ? (
        <ErrorNotice error={list.error} retry={() => void list.refresh()} />
      ) : list.rows.length === 0 ? (
        <p class="card list-empty">
          {filtered.length > 0
            ? 'No tickets match these filters.'
            : assigned
              ? 'Nothing is assigned to you.'
              : 'This queue is empty.'}
        </p>
      ) : (
        <div ref={table} class="queue-list">
          <TicketTable
            rows={list.rows}
            columns="queue"
            caption={`${title}, by next deadline`}
            selected={selected}
            onFocusRow={setSelected}
          />
        </div>
      )}
      {!list.loading && !list.error && <ListFooter list={list} />}
      <p class="hint">
        Sorted by next deadline; refreshes every 10 seconds. Press <kbd>?</kbd> for keyboard shortcuts.
      </p>
      <ShortcutHelp />
    </Page>
  );
}
