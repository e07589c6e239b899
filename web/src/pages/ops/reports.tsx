import { Page } from '../../ui/status.tsx';

/** TODO(console): ops/reports — being built. */
export default function Placeholder() {
  return (
    <Page title="reports">
      <p>Not built yet.</p>
    </Page>
  );
}
