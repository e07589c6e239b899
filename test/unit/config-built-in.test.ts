import { describe, expect, it } from 'vitest';
import { BUILT_IN_DESK } from '#shared/config/built-in';
import { DeskConfigSchema } from '#shared/config/desk';

describe('The built-in desk configuration', () => {
  it('is a valid document, exactly as the schema makes it (no default or transform left to apply)', () => {
    const parsed = DeskConfigSchema.safeParse(BUILT_IN_DESK);
    expect(parsed.error?.issues).toBeUndefined();
    expect(parsed.data).toStrictEqual(BUILT_IN_DESK);
  });
});
