import { Page } from '../../ui/status.tsx';

/** TODO(console): admin/config — being built. */
export default function Placeholder() {
  return (
    <Page title="config">
      <p>Not built yet.</p>
    </Page>
  );
}
