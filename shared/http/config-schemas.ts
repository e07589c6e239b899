import {
  CalendarConfigSchema,
  CONFIG_KINDS,
  DeskConfigSchema,
  GroupConfigSchema,
  PolicyConfigSchema,
  RoutingConfigSchema,
  SettingsConfigSchema,
  TierConfigSchema,
  VendorConfigSchema,
} from '#shared/config/desk';
import * as z from '#shared/runtime/zod';
import { LIMITS, PageQuerySchema } from './schemas.ts';

/**
 * The admin API's configuration routes: the document and its items (the schemas of
 * `#shared/config/desk`, which validate every change), versions, the audit log, warnings and
 * the what-if of a policy.
 */

export { DeskConfigSchema };

/** A desk document is larger than any other request body: holidays for years, many groups. */
export const CONFIG_BODY_LIMIT = 256 * 1024;

const ConfigKindSchema = /* @__PURE__ */ z.built(() =>
  z.enum(CONFIG_KINDS).check(
    z.meta({
      description:
        'A part of the configuration: a list of items (calendars, policies, tiers, groups, vendors) or a one-of-a-kind part (routing, settings)',
      example: 'calendars',
    }),
  ),
);

export const ConfigSectionPathSchema = /* @__PURE__ */ z.built(() =>
  z.strictObject({ kind: ConfigKindSchema }),
);
export const ConfigItemPathSchema = /* @__PURE__ */ z.built(() =>
  z.strictObject({
    kind: ConfigKindSchema,
    id: z
      .string()
      .check(
        z.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be the id of an item (a tier is its number)'),
        z.meta({ description: "The item's id (a tier's is its number)", example: 'business-hours' }),
      ),
  }),
);
export const ConfigVersionPathSchema = /* @__PURE__ */ z.built(() =>
  z.strictObject({
    version: z
      .pipe(
        z.string().check(z.regex(/^\d{1,10}$/, 'must be a configuration version number')),
        z.transform(Number),
      )
      .check(z.meta({ example: '3' })),
  }),
);
export const PolicyPathSchema = /* @__PURE__ */ z.built(() =>
  z.strictObject({
    id: z
      .string()
      .check(
        z.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be the id of a policy'),
        z.meta({ example: 'standard' }),
      ),
  }),
);

export const ConfigItemSchema = /* @__PURE__ */ z.built(() =>
  z
    .union([
      CalendarConfigSchema,
      PolicyConfigSchema,
      TierConfigSchema,
      GroupConfigSchema,
      VendorConfigSchema,
      RoutingConfigSchema,
      SettingsConfigSchema,
    ])
    .check(
      z.meta({ id: 'ConfigItem', description: 'One item of the configuration, of the kind in the path' }),
    ),
);

export const StoredConfigSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      version: z
        .int()
        .check(z.gte(0), z.meta({ description: '0: the built-in configuration, before any change' })),
      document: DeskConfigSchema,
      at: z.optional(z.string()),
      by: z.optional(z.string()),
    })
    .check(z.meta({ id: 'StoredConfig', description: 'A version of the configuration' })),
);

const FieldChangeSchema = /* @__PURE__ */ z.built(() =>
  z.object({
    field: z.string(),
    before: z.optional(z.unknown()),
    after: z.optional(z.unknown()),
  }),
);
const ItemChangeSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      kind: ConfigKindSchema,
      id: z.string(),
      change: z.enum(['added', 'removed', 'changed']),
      fields: z.array(FieldChangeSchema),
    })
    .check(z.meta({ id: 'ConfigItemChange', description: 'What changed in one item, field by field' })),
);

export const ChangeResultSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      version: z.int(),
      changed: z
        .boolean()
        .check(z.meta({ description: 'false: the configuration already was so; nothing was stored' })),
      changes: z.array(ItemChangeSchema),
    })
    .check(z.meta({ id: 'ConfigChangeResult' })),
);

export const ConfigDiffSchema = /* @__PURE__ */ z.built(() =>
  z.object({ version: z.int(), changes: z.array(ItemChangeSchema) }).check(
    z.meta({
      id: 'ConfigDiff',
      description: 'What applying the document would change in the current version',
    }),
  ),
);

const ConfigRecordSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      version: z.int(),
      at: z.string(),
      by: z.string(),
      action: z.enum(['apply', 'put', 'delete', 'restore']),
      restoredFrom: z.optional(z.int()),
      changes: z.array(ItemChangeSchema),
    })
    .check(z.meta({ id: 'ConfigRecord', description: 'One change of the configuration: who, when, what' })),
);

export const ConfigRecordPageSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({ items: z.array(ConfigRecordSchema), nextCursor: z.optional(z.string()) })
    .check(z.meta({ id: 'ConfigRecordPage' })),
);

export const AuditQuerySchema = /* @__PURE__ */ z.built(() =>
  z.extend(PageQuerySchema, { kind: z.optional(ConfigKindSchema) }),
);

export const RestoreBodySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      version: z.int().check(z.gte(0), z.meta({ description: 'The version to bring back' })),
      kind: z
        .optional(ConfigKindSchema)
        .check(z.meta({ description: 'Restore only this part (with id for a list item)' })),
      id: z.optional(
        z
          .string()
          .check(
            z.regex(
              /^[a-z0-9][a-z0-9-]{0,39}$/,
              'must be the id of an item (lower-case letters, digits and dashes)',
            ),
          ),
      ),
    })
    .check(
      z.refine((body) => body.id === undefined || body.kind !== undefined, {
        path: ['kind'],
        message: 'is needed with id: which kind of item to restore',
      }),
      z.meta({ id: 'RestoreConfigBody' }),
    ),
);

export const ConfigWarningsSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({ warnings: z.array(z.object({ field: z.string(), message: z.string() })) })
    .check(z.meta({ id: 'ConfigWarnings' })),
);

export const DryRunBodySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      ticket: z.int().check(z.positive(), z.meta({ description: 'The ticket to compute the clocks of' })),
      policy: z
        .optional(z.unknown())
        .check(z.meta({ description: 'An unsaved draft of the policy to try instead of the stored one' })),
    })
    .check(z.meta({ id: 'DryRunBody' })),
);

export const DryRunSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      ticket: z.int(),
      policy: z.object({ id: z.string(), version: z.int() }),
      clocks: z.array(
        z.object({
          clock: z.string(),
          key: z.string(),
          status: z.string(),
          warnsAt: z.optional(z.string()),
          breachesAt: z.optional(z.string()),
        }),
      ),
    })
    .check(
      z.meta({
        id: 'DryRun',
        description: 'When each clock of the ticket would warn and breach under the policy',
      }),
    ),
);

export { LIMITS };
