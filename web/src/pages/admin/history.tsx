import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query } from '../../api/client.ts';
import type { ProblemError } from '../../api/problem.ts';
import { formatDateTime } from '../../ui/format.ts';
import { ErrorNotice, Loading } from '../../ui/status.tsx';
import { asProblem, ConfirmDialog, SaveProblem, useAction } from './form-kit.tsx';
import { KIND_ORDER, KINDS } from './kinds.ts';
import type {
  ChangeResult,
  ConfigDiff,
  ConfigKind,
  ConfigRecord,
  ConfigRecordPage,
  ItemChange,
  StoredConfig,
} from './types.ts';

/**
 * The configuration's history (the audit log, newest first, paged): who changed what, when, field
 * by field — and restoring an earlier version, after seeing what that would change. A restore is
 * itself a change, recorded with the version it brought back.
 */

const PAGE_SIZE = 10;
const FIELDS_SHOWN = 8;

const ACTION_TEXT: Record<ConfigRecord['action'], string> = {
  apply: 'applied a whole document',
  put: 'changed an item',
  delete: 'deleted an item',
  restore: 'restored',
};

const shown = (value: unknown): string => {
  if (value === undefined) return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
};

/** What changed in one item: added, removed, or each field before → after. */
export const ChangeList = ({ changes }: { changes: readonly ItemChange[] }) => (
  <ul class="changes">
    {changes.map((change) => (
      <li key={`${change.kind}/${change.id}`}>
        <strong>
          {change.kind}/{change.id}
        </strong>{' '}
        {change.change}
        {change.change === 'changed' && change.fields.length > 0 && (
          <ul>
            {change.fields.slice(0, FIELDS_SHOWN).map((field) => (
              <li key={field.field}>
                <code>{field.field}</code>: {shown(field.before)} → {shown(field.after)}
              </li>
            ))}
            {change.fields.length > FIELDS_SHOWN && (
              <li>and {change.fields.length - FIELDS_SHOWN} more fields</li>
            )}
          </ul>
        )}
      </li>
    ))}
  </ul>
);

interface Preview {
  version: number;
  changes?: ItemChange[];
  error?: ProblemError;
}

export const History = ({
  kind,
  canRestore,
  refreshKey,
  currentVersion,
  onRestored,
}: {
  /** Only this part's changes; undefined: every change, with a filter. */
  kind?: ConfigKind;
  canRestore: boolean;
  /** Changes when the configuration changed: the history is read again. */
  refreshKey: number;
  currentVersion: number;
  onRestored: (message: string) => void;
}) => {
  const [filter, setFilter] = useState<string>(kind ?? '');
  const [records, setRecords] = useState<ConfigRecord[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ProblemError>();
  const [preview, setPreview] = useState<Preview>();
  const restore = useAction();
  const generation = useRef(0);

  const load = async (next?: string) => {
    const mine = ++generation.current;
    setLoading(true);
    setError(undefined);
    try {
      const { data } = await api.get<ConfigRecordPage>(
        `/admin/audit${query({ kind: filter || undefined, limit: PAGE_SIZE, cursor: next })}`,
      );
      if (mine !== generation.current) return;
      setRecords((before) => (next ? [...before, ...data.items] : data.items));
      setCursor(data.nextCursor);
    } catch (failure) {
      if (mine === generation.current) setError(asProblem(failure));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  };

  useEffect(() => {
    void load();
  }, [filter, refreshKey]);

  /** What restoring a version would change: that version's document, compared with the current one. */
  const openRestore = async (version: number) => {
    restore.setProblem(undefined);
    setPreview({ version });
    try {
      const { data: earlier } = await api.get<StoredConfig>(`/admin/config/versions/${version}`);
      const { data: diff } = await api.post<ConfigDiff>('/admin/config/diff', earlier.document);
      setPreview({ version, changes: diff.changes });
    } catch (failure) {
      setPreview({ version, error: asProblem(failure) });
    }
  };

  const confirmRestore = () =>
    restore.run(async () => {
      if (!preview) return;
      const { data } = await api.post<ChangeResult>('/admin/config/restore', { version: preview.version });
      setPreview(undefined);
      onRestored(
        data.changed
          ? `Restored version ${preview.version}: the configuration is now at version ${data.version}.`
          : `Nothing to restore: the configuration already is as in version ${preview.version}.`,
      );
    });

  const titleId = `history-${kind ?? 'all'}`;
  return (
    <section class="history" aria-labelledby={titleId}>
      <h2 id={titleId}>
        {kind ? `History of the ${KINDS[kind].plural ?? KINDS[kind].title.toLowerCase()}` : 'History'}
      </h2>
      {!kind && (
        <div class="field history-filter">
          <label for="history-kind">Show changes of</label>
          <select id="history-kind" value={filter} onChange={(e) => setFilter(e.currentTarget.value)}>
            <option value="">Every part</option>
            {KIND_ORDER.map((option) => (
              <option key={option} value={option}>
                {KINDS[option].title}
              </option>
            ))}
          </select>
        </div>
      )}
      {error && <ErrorNotice error={error} retry={() => void load()} />}
      {!loading && !error && records.length === 0 && <p>No changes yet.</p>}
      <ol class="history-records">
        {records.map((record) => (
          <li key={record.version} class="card history-record">
            <h3>Version {record.version}</h3>
            <p class="meta">
              <time dateTime={record.at}>{formatDateTime(record.at)}</time> · {record.by} ·{' '}
              {ACTION_TEXT[record.action]}
              {record.restoredFrom !== undefined && ` version ${record.restoredFrom}`}
              {record.version === currentVersion && <span class="badge ok">current</span>}
            </p>
            <ChangeList changes={record.changes} />
            <div class="actions">
              <a class="button" href={`/admin/config/document?version=${record.version}`}>
                View version {record.version}
              </a>
              {canRestore && record.version !== currentVersion && (
                <button type="button" onClick={() => void openRestore(record.version)}>
                  Restore version {record.version}
                </button>
              )}
            </div>
          </li>
        ))}
      </ol>
      {loading && <Loading what="Loading the history" />}
      {cursor && !loading && (
        <button type="button" onClick={() => void load(cursor)}>
          Load earlier changes
        </button>
      )}
      <ConfirmDialog
        open={preview !== undefined}
        title={`Restore version ${preview?.version ?? ''}?`}
        confirmLabel={`Restore version ${preview?.version ?? ''}`}
        busy={restore.busy || (preview !== undefined && !preview.changes && !preview.error)}
        onConfirm={() => void confirmRestore()}
        onClose={() => setPreview(undefined)}
      >
        <p>
          The whole configuration goes back to how it was in version {preview?.version}. That is a new
          version, recorded in the history; anything changed since can be brought back the same way.
        </p>
        {preview && !preview.changes && !preview.error && (
          <Loading what="Comparing with the current version" />
        )}
        {preview?.error && <ErrorNotice error={preview.error} />}
        {preview?.changes && preview.changes.length === 0 && (
          <p>Nothing would change: the configuration already is as it was then.</p>
        )}
        {preview?.changes && preview.changes.length > 0 && (
          <>
            <p>It would change:</p>
            <ChangeList changes={preview.changes} />
          </>
        )}
        {restore.problem && <SaveProblem problem={restore.problem} what="what this restore removes" />}
      </ConfirmDialog>
    </section>
  );
};
