import * as z from 'zod';
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
import { LIMITS, PageQuerySchema } from './schemas.ts';

/**
 * The admin API's configuration routes: the document and its items (the schemas of
 * `#shared/config/desk`, which validate every change), versions, the audit log, warnings and
 * the what-if of a policy.
 */

export { DeskConfigSchema };

/** A desk document is larger than any other request body: holidays for years, many groups. */
export const CONFIG_BODY_LIMIT = 256 * 1024;

const ConfigKindSchema = z.enum(CONFIG_KINDS).meta({
  description:
    'A part of the configuration: a list of items (calendars, policies, tiers, groups, vendors) or a one-of-a-kind part (routing, settings)',
  example: 'calendars',
});

export const ConfigSectionPathSchema = z.strictObject({ kind: ConfigKindSchema });
export const ConfigItemPathSchema = z.strictObject({
  kind: ConfigKindSchema,
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be the id of an item (a tier is its number)')
    .meta({ description: "The item's id (a tier's is its number)", example: 'business-hours' }),
});
export const ConfigVersionPathSchema = z.strictObject({
  version: z
    .string()
    .regex(/^\d{1,10}$/, 'must be a configuration version number')
    .transform(Number)
    .meta({ example: '3' }),
});
export const PolicyPathSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be the id of a policy')
    .meta({ example: 'standard' }),
});

export const ConfigItemSchema = z
  .union([
    CalendarConfigSchema,
    PolicyConfigSchema,
    TierConfigSchema,
    GroupConfigSchema,
    VendorConfigSchema,
    RoutingConfigSchema,
    SettingsConfigSchema,
  ])
  .meta({ id: 'ConfigItem', description: 'One item of the configuration, of the kind in the path' });

export const StoredConfigSchema = z
  .object({
    version: z
      .number()
      .int()
      .min(0)
      .meta({ description: '0: the built-in configuration, before any change' }),
    document: DeskConfigSchema,
    at: z.string().optional(),
    by: z.string().optional(),
  })
  .meta({ id: 'StoredConfig', description: 'A version of the configuration' });

const FieldChangeSchema = z.object({
  field: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
const ItemChangeSchema = z
  .object({
    kind: ConfigKindSchema,
    id: z.string(),
    change: z.enum(['added', 'removed', 'changed']),
    fields: z.array(FieldChangeSchema),
  })
  .meta({ id: 'ConfigItemChange', description: 'What changed in one item, field by field' });

export const ChangeResultSchema = z
  .object({
    version: z.number().int(),
    changed: z.boolean().meta({ description: 'false: the configuration already was so; nothing was stored' }),
    changes: z.array(ItemChangeSchema),
  })
  .meta({ id: 'ConfigChangeResult' });

export const ConfigDiffSchema = z
  .object({ version: z.number().int(), changes: z.array(ItemChangeSchema) })
  .meta({ id: 'ConfigDiff', description: 'What applying the document would change in the current version' });

const ConfigRecordSchema = z
  .object({
    version: z.number().int(),
    at: z.string(),
    by: z.string(),
    action: z.enum(['apply', 'put', 'delete', 'restore']),
    restoredFrom: z.number().int().optional(),
    changes: z.array(ItemChangeSchema),
  })
  .meta({ id: 'ConfigRecord', description: 'One change of the configuration: who, when, what' });

export const ConfigRecordPageSchema = z
  .object({ items: z.array(ConfigRecordSchema), nextCursor: z.string().optional() })
  .meta({ id: 'ConfigRecordPage' });

export const AuditQuerySchema = PageQuerySchema.extend({ kind: ConfigKindSchema.optional() });

export const RestoreBodySchema = z
  .strictObject({
    version: z.number().int().min(0).meta({ description: 'The version to bring back' }),
    kind: ConfigKindSchema.optional().meta({
      description: 'Restore only this part (with id for a list item)',
    }),
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be the id of an item (lower-case letters, digits and dashes)')
      .optional(),
  })
  .refine((body) => body.id === undefined || body.kind !== undefined, {
    path: ['kind'],
    message: 'is needed with id: which kind of item to restore',
  })
  .meta({ id: 'RestoreConfigBody' });

export const ConfigWarningsSchema = z
  .object({ warnings: z.array(z.object({ field: z.string(), message: z.string() })) })
  .meta({ id: 'ConfigWarnings' });

export const DryRunBodySchema = z
  .strictObject({
    ticket: z.number().int().positive().meta({ description: 'The ticket to compute the clocks of' }),
    policy: z
      .unknown()
      .optional()
      .meta({ description: 'An unsaved draft of the policy to try instead of the stored one' }),
  })
  .meta({ id: 'DryRunBody' });

export const DryRunSchema = z
  .object({
    ticket: z.number().int(),
    policy: z.object({ id: z.string(), version: z.number().int() }),
    clocks: z.array(
      z.object({
        clock: z.string(),
        key: z.string(),
        status: z.string(),
        warnsAt: z.string().optional(),
        breachesAt: z.string().optional(),
      }),
    ),
  })
  .meta({
    id: 'DryRun',
    description: 'When each clock of the ticket would warn and breach under the policy',
  });

export { LIMITS };
