import { Page } from '../../ui/status.tsx';

/** TODO(console): ops/executions — being built. */
export default function Placeholder() {
  return (
    <Page title="executions">
      <p>Not built yet.</p>
    </Page>
  );
}
