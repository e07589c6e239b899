import { Page } from '../../ui/status.tsx';

/** TODO(console): portal/my-tickets — being built. */
export default function Placeholder() {
  return (
    <Page title="my-tickets">
      <p>Not built yet.</p>
    </Page>
  );
}
