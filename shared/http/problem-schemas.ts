import * as z from '#shared/runtime/zod';

export const ProblemSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      type: z.string(),
      title: z.string(),
      status: z.int(),
      detail: z.optional(z.string()),
      instance: z.optional(z.string()),
      errors: z.optional(z.array(z.object({ field: z.string(), message: z.string() }))),
    })
    .check(z.meta({ id: 'Problem', description: 'RFC 9457 problem details' })),
);

/** What API Gateway itself answers, before any handler runs (a missing or invalid token). */
export const GatewayErrorSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({ message: z.string().check(z.meta({ example: 'Unauthorized' })) })
    .check(z.meta({ id: 'GatewayError', description: "API Gateway's own error body" })),
);
