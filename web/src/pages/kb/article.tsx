import { Page } from '../../ui/status.tsx';

/** TODO(console): kb/article — being built. */
export default function Placeholder() {
  return (
    <Page title="article">
      <p>Not built yet.</p>
    </Page>
  );
}
