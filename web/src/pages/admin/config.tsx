import { CollectionPage, KindNav, SingletonPage } from './config-editor.tsx';
import { DocumentPage } from './document.tsx';
import { AdminPage } from './form-kit.tsx';
import { isKind, KINDS } from './kinds.ts';
import { ConfigOverview } from './overview.tsx';

/**
 * `/admin/config` and `/admin/config/:kind`: the configuration's overview, the editor of each
 * part (calendars, SLA policies, groups, vendors, routing, tiers, settings) and the whole document.
 * Admins change it; supervisors read it (and try policies out).
 */
export default function ConfigPage({ kind }: Record<string, unknown>) {
  if (typeof kind !== 'string') return <ConfigOverview />;
  if (kind === 'document') return <DocumentPage />;
  if (!isKind(kind)) {
    return (
      <AdminPage title="Not a part of the configuration">
        <KindNav />
        <p>There is no part of the configuration called “{kind}”. Choose one above.</p>
      </AdminPage>
    );
  }
  const spec = KINDS[kind];
  return spec.idOf ? <CollectionPage key={kind} spec={spec} /> : <SingletonPage key={kind} spec={spec} />;
}
