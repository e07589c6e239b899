/**
 * HTML that the API built for the page: an article body rendered by the server to markup that
 * is safe as it is (`renderMarkdown`: no raw HTML, no script, no images), or a search hit's title and snippet,
 * which the server escapes before it marks the matches. The console never turns text it was given
 * into HTML itself, and never puts anything else here.
 */
export const ServerHtml = ({
  html,
  inline = false,
  class: className,
}: {
  html: string;
  /** A `span` (inside a link or a heading) instead of a `div`. */
  inline?: boolean;
  class?: string;
}) =>
  inline ? (
    <span class={className} dangerouslySetInnerHTML={{ __html: html }} />
  ) : (
    <div class={className} dangerouslySetInnerHTML={{ __html: html }} />
  );
