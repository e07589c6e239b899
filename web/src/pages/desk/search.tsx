import { Page } from '../../ui/status.tsx';

/** TODO(console): desk/search — being built. */
export default function Placeholder() {
  return (
    <Page title="search">
      <p>Not built yet.</p>
    </Page>
  );
}
