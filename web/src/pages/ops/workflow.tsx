import { Page } from '../../ui/status.tsx';

/** TODO(console): ops/workflow — being built. */
export default function Placeholder() {
  return (
    <Page title="workflow">
      <p>Not built yet.</p>
    </Page>
  );
}
