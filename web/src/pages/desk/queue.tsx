import { Page } from '../../ui/status.tsx';

/** TODO(console): desk/queue — being built. */
export default function Placeholder() {
  return (
    <Page title="queue">
      <p>Not built yet.</p>
    </Page>
  );
}
