/**
 * What a bundled function resolves the `linkify-it` package to (an esbuild alias in
 * `infra/constructs/lambda-function.ts`). mailparser builds a linkifier when it loads (the full
 * list of top-level domains compiled into its patterns: about 18 ms of every cold start of the
 * mail intake) only to turn links in plain text into anchors for `textAsHtml`, which the intake
 * does not ask for (`skipTextToHtml` in `parse.ts`, so the linkifier is never called). This one
 * is configured as mailparser configures it and finds no links: were `textAsHtml` ever wanted, it
 * would come without anchors, not fail. Tests and the local stack run unbundled, on linkify-it.
 */

interface Linkifier {
  tlds(list: unknown, keepOld?: boolean): Linkifier;
  add(schema: string, definition: unknown): Linkifier;
  set(options: unknown): Linkifier;
  pretest(text: string): boolean;
  test(text: string): boolean;
  match(text: string): null;
}

const linkifyIt = (): Linkifier => {
  const linkifier: Linkifier = {
    tlds: () => linkifier,
    add: () => linkifier,
    set: () => linkifier,
    pretest: () => false,
    test: () => false,
    match: () => null,
  };
  return linkifier;
};

export default linkifyIt;
