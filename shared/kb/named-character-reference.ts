import { decodeHTMLStrict } from 'entities/decode';

/**
 * What a bundled function resolves `decode-named-character-reference` to (an esbuild alias in
 * `infra/constructs/lambda-function.ts`): micromark asks it what `&name;` in an article stands
 * for. The package answers from `character-entities`, an object literal of 2,125 names that a
 * function builds at every cold start (4 ms, a tenth of a bare DynamoDB client's import); the
 * `entities` decoder answers the same from a compact trie in one string, which costs next to
 * nothing to load. `test/unit/kb-render.test.ts` holds the two to the same answer
 * for every name.
 *
 * `name` is what stands between `&` and `;` (`amp`, `notin`); false when HTML names no such
 * character.
 */
export const decodeNamedCharacterReference = (name: string): string | false => {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) return false;
  const reference = `&${name};`;
  const decoded = decodeHTMLStrict(reference);
  return decoded === reference ? false : decoded;
};
