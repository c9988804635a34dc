/** Zod schemas of the RFID token, token holder and token group endpoints. */
import { z } from '@hono/zod-openapi';
import { PageQuery } from './schemas.js';

const id = z.string().uuid();
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .transform((v) => (v === '' ? null : v));

/** OCPP 2.0.1 IdTokenEnumType; 1.6 tokens are ISO14443 cards in practice. */
export const TOKEN_TYPES = [
  'ISO14443',
  'ISO15693',
  'eMAID',
  'Central',
  'KeyCode',
  'Local',
  'MacAddress',
  'NoAuthorization',
] as const;
/** The statuses an operator sets (the contract's `concurrent_tx` is a runtime answer, not a setting). */
export const TOKEN_SETTABLE_STATUSES = ['accepted', 'blocked', 'expired', 'invalid'] as const;
export const TOKEN_GROUP_KINDS = ['personal', 'corporate'] as const;

const TokenFields = z.object({
  uid: z
    .string()
    .trim()
    .min(1)
    .max(36)
    .regex(/^[\x21-\x7E]+$/, 'printable ASCII without spaces')
    .openapi({ example: '04A1B2C3D4', description: 'the card UID / idTag as the charger reports it' }),
  type: z.enum(TOKEN_TYPES),
  status: z.enum(TOKEN_SETTABLE_STATUSES),
  expiresAt: z.iso.datetime({ offset: true }).nullable(),
  holderId: id.nullable(),
  groupId: id.nullable(),
  siteId: id.nullable().openapi({ description: 'null: valid at every site of the tenant' }),
  ocppGroupId: optionalText(20).openapi({
    description: 'OCPP parentIdTag / groupIdToken sent to the charger',
  }),
});
/** Defaults only on creation: zod 4 would apply them inside `.partial()` too and a PATCH would reset fields. */
export const TokenBody = TokenFields.extend({
  type: z.enum(TOKEN_TYPES).default('ISO14443'),
  status: z.enum(TOKEN_SETTABLE_STATUSES).default('accepted'),
  expiresAt: z.iso.datetime({ offset: true }).nullable().default(null),
  holderId: id.nullable().default(null),
  groupId: id.nullable().default(null),
  siteId: id.nullable().default(null).openapi({ description: 'null: valid at every site of the tenant' }),
  ocppGroupId: optionalText(20).default(null),
})
  .strict()
  .openapi('TokenBody');
export const TokenPatch = TokenFields.partial().strict().openapi('TokenPatch');

export const Token = z
  .object({
    id,
    uid: z.string(),
    type: z.string(),
    status: z.string(),
    expiresAt: z.string().nullable(),
    holderId: id.nullable(),
    holderName: z.string().nullable(),
    groupId: id.nullable(),
    groupName: z.string().nullable(),
    siteId: id.nullable(),
    siteName: z.string().nullable(),
    ocppGroupId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Token');

export const TOKEN_SORTS = ['uid', '-uid', 'createdAt', '-createdAt', 'status', '-status'] as const;
export const TokenQuery = z.object({
  q: z.string().max(100).optional().openapi({ description: 'part of the UID or the holder name' }),
  status: z.enum(['accepted', 'blocked', 'expired', 'invalid', 'concurrent_tx']).optional(),
  holderId: id.optional(),
  groupId: id.optional(),
  siteId: id.optional(),
  sort: z.enum(TOKEN_SORTS).default('uid'),
  ...PageQuery,
});
export const TokenList = z
  .object({
    items: z.array(Token),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .openapi('TokenList');

const phone = optionalText(40).refine(
  (v) => v === null || /^\+?[0-9 ()-]{3,40}$/.test(v),
  'digits, spaces, ( ) - and a leading +',
);
const email = optionalText(254).refine(
  (v) => v === null || z.email().safeParse(v).success,
  'must be an e-mail address',
);
const HolderFields = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  phone,
  email,
  company: optionalText(200),
});
export const HolderBody = HolderFields.extend({
  phone: phone.default(null),
  email: email.default(null),
  company: optionalText(200).default(null),
})
  .strict()
  .openapi('TokenHolderBody');
export const HolderPatch = HolderFields.partial().strict().openapi('TokenHolderPatch');

export const Holder = z
  .object({
    id,
    name: z.string(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    company: z.string().nullable(),
    tokenCount: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('TokenHolder');

export const HOLDER_SORTS = ['name', '-name', 'createdAt', '-createdAt'] as const;
export const HolderQuery = z.object({
  q: z.string().max(100).optional().openapi({ description: 'part of the name, company, phone or e-mail' }),
  sort: z.enum(HOLDER_SORTS).default('name'),
  ...PageQuery,
});
export const HolderList = z
  .object({
    items: z.array(Holder),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .openapi('TokenHolderList');

export const GroupBody = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200),
    kind: z.enum(TOKEN_GROUP_KINDS),
  })
  .strict()
  .openapi('TokenGroupBody');
export const GroupPatch = GroupBody.partial().strict().openapi('TokenGroupPatch');

export const Group = z
  .object({
    id,
    name: z.string(),
    kind: z.enum(TOKEN_GROUP_KINDS),
    tokenCount: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('TokenGroup');

export const GROUP_SORTS = ['name', '-name', 'createdAt', '-createdAt'] as const;
export const GroupQuery = z.object({
  q: z.string().max(100).optional(),
  kind: z.enum(TOKEN_GROUP_KINDS).optional(),
  sort: z.enum(GROUP_SORTS).default('name'),
  ...PageQuery,
});
export const GroupList = z
  .object({
    items: z.array(Group),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .openapi('TokenGroupList');
