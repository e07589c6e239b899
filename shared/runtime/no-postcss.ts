/**
 * What a bundled function resolves `postcss` to (an esbuild alias in
 * `infra/constructs/lambda-function.ts`). sanitize-html requires postcss only to parse `style`
 * attributes, and both of our sanitizers allow none and say `parseStyleAttributes: false`
 * (`shared/kb/render.ts`, `shared/email/html.ts`), so postcss and source-map-js (about 90 KiB)
 * would be dead weight in every function that renders Markdown or reads mail. Should a `style`
 * attribute ever reach the parser, it fails closed: sanitize-html drops the attribute.
 */
export const parse = (): never => {
  throw new Error('style attributes are not allowed');
};
