import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api } from '../../api/client.ts';
import { ProblemError } from '../../api/problem.ts';
import { ErrorNotice, Loading } from '../../ui/status.tsx';
import { useApi } from '../../ui/use-api.ts';
import { KindNav, ReadOnlyNotice, useCanChange } from './config-editor.tsx';
import { AdminPage, Announcement, ConfirmDialog, Field, SaveProblem, useAction } from './form-kit.tsx';
import { ChangeList } from './history.tsx';
import type { ChangeResult, ConfigDiff, StoredConfig } from './types.ts';

/**
 * `/admin/config/document`: the whole configuration as JSON (what `tierdesk config export --json`
 * writes) — edited as text, compared with the current version (diff) and applied at once,
 * conditional on the version it was read at. `?version=n` shows an earlier version.
 */
export const DocumentPage = () => {
  const canChange = useCanChange();
  const { query } = useLocation();
  const version = query.version && /^\d+$/.test(query.version) ? query.version : undefined;
  const loaded = useApi<StoredConfig>(version ? `/admin/config/versions/${version}` : '/admin/config');
  const [text, setText] = useState<string>();
  const [etag, setEtag] = useState<string>();
  const [diff, setDiff] = useState<ConfigDiff>();
  const [confirming, setConfirming] = useState(false);
  const [announcement, setAnnouncement] = useState<string>();
  const compare = useAction();
  const apply = useAction();

  useEffect(() => {
    if (!loaded.data) return;
    setText(JSON.stringify(loaded.data.document, null, 2));
    setEtag(loaded.etag);
    setDiff(undefined);
  }, [loaded.data]);

  const parsed = (): unknown => {
    try {
      return JSON.parse(text ?? '');
    } catch (error) {
      throw new ProblemError(422, 'Not JSON', undefined, [
        { field: 'document', message: `is not JSON: ${(error as Error).message}` },
      ]);
    }
  };

  const showDiff = () =>
    compare.run(async () => {
      apply.setProblem(undefined);
      const { data } = await api.post<ConfigDiff>('/admin/config/diff', parsed());
      setDiff(data);
      return data;
    });

  const confirmApply = () =>
    apply.run(async () => {
      const { data } = await api.put<ChangeResult>('/admin/config', parsed(), { ifMatch: etag ?? '*' });
      setConfirming(false);
      setAnnouncement(
        data.changed
          ? `Applied: the configuration is now at version ${data.version}.`
          : 'Nothing changed: the configuration already was so.',
      );
      await loaded.reload();
    });

  const problem = apply.problem ?? compare.problem;
  const readOnly = !canChange || version !== undefined;
  const title = version ? `Configuration version ${version}` : 'The whole configuration';
  return (
    <AdminPage title={title}>
      <KindNav current="document" />
      {!canChange && <ReadOnlyNotice />}
      {version && (
        <p class="notice notice-info">
          An earlier version, as it was stored. To bring it back, restore it from the{' '}
          <a href="/admin/config">history</a>.
        </p>
      )}
      <Announcement message={announcement} />
      {loaded.error && !loaded.data && (
        <ErrorNotice error={loaded.error} retry={() => void loaded.reload()} />
      )}
      {text === undefined && !loaded.error && <Loading what="Loading the configuration" />}
      {text !== undefined && (
        <form
          noValidate
          onSubmit={async (event) => {
            event.preventDefault();
            if (readOnly) return;
            const changes = await showDiff();
            if (changes && changes.changes.length > 0) setConfirming(true);
          }}
        >
          <Field
            form="document"
            path="document"
            label={`The configuration as JSON${loaded.data ? ` (version ${loaded.data.version})` : ''}`}
            hint={
              readOnly
                ? undefined
                : 'Edit it here, or paste what `tierdesk config export --json` wrote. Nothing changes until you apply it; every part is validated first.'
            }
            problem={problem?.errors.some((issue) => issue.field === 'document') ? problem : undefined}
          >
            {(props) => (
              <textarea
                {...props}
                class="document"
                spellcheck={false}
                readOnly={readOnly}
                value={text}
                onInput={(e) => {
                  setText(e.currentTarget.value);
                  setDiff(undefined);
                }}
              />
            )}
          </Field>
          {problem && (
            <SaveProblem problem={problem} what="the configuration" onReload={() => void loaded.reload()} />
          )}
          {!readOnly && (
            <div class="actions form-actions">
              <button type="button" disabled={compare.busy} onClick={() => void showDiff()}>
                {compare.busy ? 'Comparing…' : 'Show what would change'}
              </button>
              <button type="submit" class="primary" disabled={compare.busy || apply.busy}>
                Apply…
              </button>
            </div>
          )}
        </form>
      )}
      {diff && !confirming && (
        <section class="card" aria-labelledby="diff-title" aria-live="polite">
          <h2 id="diff-title">What applying it would change</h2>
          {diff.changes.length === 0 ? (
            <p>Nothing: it is the configuration as it is now (version {diff.version}).</p>
          ) : (
            <ChangeList changes={diff.changes} />
          )}
        </section>
      )}
      <ConfirmDialog
        open={confirming}
        title="Apply this configuration?"
        confirmLabel="Apply"
        busy={apply.busy}
        onConfirm={() => void confirmApply()}
        onClose={() => setConfirming(false)}
      >
        <p>It replaces the whole configuration (version {diff?.version}) as one new version. It changes:</p>
        {diff && <ChangeList changes={diff.changes} />}
        {apply.problem && (
          <SaveProblem
            problem={apply.problem}
            what="the configuration"
            onReload={() => setConfirming(false)}
          />
        )}
      </ConfirmDialog>
    </AdminPage>
  );
};
