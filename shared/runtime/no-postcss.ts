/**
 * What a bundled function resolves `postcss` to (an esbuild alias in
 * `infra/constructs/lambda-function.ts`). sanitize-html requires postcss only to parse `style`
 * attributes, and the mail sanitizer allows none and says `parseStyleAttributes: false`
 * (`shared/email/html.ts`), so postcss and source-map-js (about 90 KiB) would be dead weight in
 * every function that reads mail. Should a `style`
 * attribute ever reach the parser, it fails closed: sanitize-html drops the attribute.
 */
export const parse = (): never => {
  throw new Error('style attributes are not allowed');
};
