/**
 * What a bundled function resolves the `he` package to (an esbuild alias in
 * `infra/constructs/lambda-function.ts`): mailparser only encodes with it, for HTML renderings of
 * headers and links that the intake does not use, and `he`'s 85 KiB entity table would duplicate
 * the one `entities` already brings. Same output as he 1.2's `encode` with its default options
 * (hexadecimal references for `"&'<>\``, for control and non-ASCII characters); with
 * `useNamedReferences` it answers the same references by number rather than by name, which HTML
 * reads alike. Tests and the local stack run unbundled, on `he` itself.
 */

const UNSAFE = /["&'<>`]/g;
const ASTRAL = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: he escapes exactly these control characters.
const ESCAPED_BMP = /[\x01-\t\x0B\f\x0E-\x1F\x7F\x81\x8D\x8F\x90\x9D\xA0-\uFFFF]/g;

const hex = (codePoint: number) => `&#x${codePoint.toString(16).toUpperCase()};`;
const escapeBmp = (symbol: string) => hex(symbol.charCodeAt(0));

export const encode = (text: string, _options?: { useNamedReferences?: boolean }): string =>
  text
    .replace(UNSAFE, escapeBmp)
    .replace(ASTRAL, (pair) => hex(pair.codePointAt(0) as number))
    .replace(ESCAPED_BMP, escapeBmp);

const escapeUnsafe = (text: string): string => text.replace(UNSAFE, escapeBmp);

export default { encode, escape: escapeUnsafe };
