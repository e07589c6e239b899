import { Page } from '../../ui/status.tsx';

/** TODO(console): portal/new-ticket — being built. */
export default function Placeholder() {
  return (
    <Page title="new-ticket">
      <p>Not built yet.</p>
    </Page>
  );
}
