import { Page } from '../../ui/status.tsx';

/** TODO(console): admin/people — being built. */
export default function Placeholder() {
  return (
    <Page title="people">
      <p>Not built yet.</p>
    </Page>
  );
}
