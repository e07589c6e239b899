import { useState } from 'preact/hooks';
import { formatDateTime } from '../../ui/format.ts';
import { ErrorNotice, Loading } from '../../ui/status.tsx';
import { useApi } from '../../ui/use-api.ts';
import { KindNav, ReadOnlyNotice, useCanChange } from './config-editor.tsx';
import { AdminPage, Announcement } from './form-kit.tsx';
import { History } from './history.tsx';
import { editorOf, KIND_ORDER, KINDS, kindCount } from './kinds.ts';
import type { ConfigWarnings, StoredConfig } from './types.ts';

/**
 * `/admin/config`: the configuration at a glance — its version and last change, what needs
 * attention before it bites (calendars whose holidays run out), its parts, and its history with
 * restore.
 */
export const ConfigOverview = () => {
  const canChange = useCanChange();
  const config = useApi<StoredConfig>('/admin/config');
  const warnings = useApi<ConfigWarnings>('/admin/warnings');
  const [announcement, setAnnouncement] = useState<string>();
  const [history, setHistory] = useState(0);
  const document = config.data?.document;

  return (
    <AdminPage title="Configuration">
      <KindNav />
      {!canChange && <ReadOnlyNotice />}
      <Announcement message={announcement} />
      <section class="card" aria-labelledby="current-title">
        <h2 id="current-title">Current version</h2>
        {config.error && <ErrorNotice error={config.error} retry={() => void config.reload()} />}
        {config.loading && !config.data && <Loading what="Loading the configuration" />}
        {config.data && (
          <p>
            Version <strong>{config.data.version}</strong>
            {config.data.version === 0
              ? ': the built-in configuration; nothing has been changed yet.'
              : config.data.at
                ? `, last changed ${formatDateTime(config.data.at)}${config.data.by ? ` by ${config.data.by}` : ''}.`
                : '.'}
          </p>
        )}
        <p class="hint">
          Every change is validated against the whole document, stored as a new version and recorded below;
          tickets pick it up without a redeploy. The command line's <code>tierdesk config export</code> and{' '}
          <code>apply</code> work on the same document.
        </p>
      </section>
      <section aria-labelledby="warnings-title">
        <h2 id="warnings-title">Needs attention</h2>
        {warnings.error && <ErrorNotice error={warnings.error} retry={() => void warnings.reload()} />}
        {warnings.loading && !warnings.data && <Loading what="Checking the configuration" />}
        {warnings.data && warnings.data.warnings.length === 0 && (
          <p>Nothing needs attention: every calendar lists its holidays well ahead.</p>
        )}
        {warnings.data && warnings.data.warnings.length > 0 && (
          <ul class="warnings">
            {warnings.data.warnings.map((warning) => {
              const href = editorOf(warning.field, document);
              return (
                <li key={warning.field} class="notice notice-warn">
                  <p>
                    <span class="badge warning">Warning</span> {warning.message}
                  </p>
                  {href && (
                    <p>
                      <a href={href}>{canChange ? 'Fix it' : 'See it'}</a>{' '}
                      <span class="hint">({warning.field})</span>
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section aria-labelledby="parts-title">
        <h2 id="parts-title">Parts</h2>
        <ul class="kind-cards">
          {KIND_ORDER.map((kind) => (
            <li key={kind} class="card">
              <a href={`/admin/config/${kind}`}>{KINDS[kind].title}</a>
              {document && <span class="hint"> — {kindCount(kind, document)}</span>}
            </li>
          ))}
          <li class="card">
            <a href="/admin/config/document">Whole document (JSON)</a>
            <span class="hint"> — see, compare and apply it at once</span>
          </li>
        </ul>
      </section>
      {config.data && (
        <History
          canRestore={canChange}
          refreshKey={history}
          currentVersion={config.data.version}
          onRestored={(message) => {
            setAnnouncement(message);
            setHistory((n) => n + 1);
            void config.reload();
            void warnings.reload();
          }}
        />
      )}
    </AdminPage>
  );
};
