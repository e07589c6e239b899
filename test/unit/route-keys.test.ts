import { describe, expect, it } from 'vitest';
import { ROUTE_KEYS } from '#shared/http/route-keys';
import { ROUTES } from '#shared/http/routes';

describe('route keys', () => {
  it('are the route table’s methods and paths, one for every route', () => {
    expect(ROUTE_KEYS).toEqual(
      Object.fromEntries(ROUTES.map((route) => [route.id, `${route.method} ${route.path}`])),
    );
  });

  it('are unique: one route per key', () => {
    const keys = Object.values(ROUTE_KEYS);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
