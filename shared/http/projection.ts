/**
 * A response view as a projection: the keys it carries, in order. A key maps to `true` where its
 * value goes out as it is, to a nested shape where the value is an object whose keys are chosen
 * the same way, and to `[shape]` where it is a list of such objects.
 */
export type Shape = { readonly [key: string]: true | Shape | readonly [Shape] };

/**
 * `value` with only the keys `shape` names, at every level it names, in the shape's order; a key
 * whose value is undefined is left out. For valid data, its JSON is that of what parsing with the
 * view's zod object schema gives, without building the schema (`test/unit/view-shapes.test.ts`
 * holds each view's shape to its response schema). Values the shape passes on as they are stay
 * the caller's objects, not copies.
 */
export const project = <T>(shape: Shape, value: object): T => projectObject(shape, value) as T;

const projectObject = (shape: Shape, value: unknown): unknown => {
  if (typeof value !== 'object' || value === null) return value;
  const from = value as Record<string, unknown>;
  const projected: Record<string, unknown> = {};
  for (const key of Object.keys(shape)) {
    const field = from[key];
    if (field !== undefined) projected[key] = projectField(shape[key] as Shape[string], field);
  }
  return projected;
};

const projectField = (spec: Shape[string], value: unknown): unknown => {
  if (spec === true) return value;
  if (Array.isArray(spec)) {
    const [item] = spec as readonly [Shape];
    return Array.isArray(value) ? value.map((entry) => projectObject(item, entry)) : value;
  }
  return projectObject(spec as Shape, value);
};
