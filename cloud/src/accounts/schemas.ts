/** Zod schemas of the account endpoints: users, grants, passwords and API tokens. */
import { z } from '@hono/zod-openapi';
import { ROLES } from '../auth/roles.js';
import { PageQuery } from '../resources/schemas.js';
import { USER_SORTS, type UserSort } from './user-store.js';
import { LOCALES } from './system-settings.js';

const id = z.string().uuid();
const name = z.string().trim().min(1, 'must not be empty').max(200);
/** The login length limits of the system settings are checked by the route (they are per tenant). */
const email = z.string().trim().max(254).pipe(z.email('must be an e-mail address'));
const phone = z
  .string()
  .trim()
  .transform((v) => v.replace(/[\s()-]/g, ''))
  .pipe(z.string().regex(/^\+[1-9][0-9]{1,14}$/, 'must be an E.164 number like +491701234567'))
  .nullable()
  .openapi({ example: '+491701234567', description: 'E.164; used for SMS alerts' });
const password = z.string().min(1, 'must not be empty').max(1024);

export const GrantBody = z
  .object({
    role: z.enum(ROLES),
    siteId: id.nullable().default(null).openapi({ description: 'limit the grant to one site' }),
    cityId: id.nullable().default(null).openapi({ description: 'limit the grant to one city' }),
  })
  .strict()
  .refine((g) => g.siteId === null || g.cityId === null, {
    path: ['cityId'],
    message: 'a grant is limited to a site or a city, not both',
  })
  .openapi('GrantBody');

export const Grant = z
  .object({
    id,
    role: z.enum(ROLES),
    siteId: id.nullable(),
    siteName: z.string().nullable(),
    cityId: id.nullable(),
    cityName: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Grant');

export const GrantList = z.object({ items: z.array(Grant) }).openapi('GrantList');

export const User = z
  .object({
    id,
    email: z.string(),
    name: z.string(),
    phone: z.string().nullable(),
    locale: z.enum(LOCALES).nullable(),
    disabled: z.boolean(),
    lastLoginAt: z.string().nullable(),
    passwordChangedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    grants: z.array(Grant).openapi({ description: 'grants on your tenant only' }),
  })
  .openapi('User');

export const UserBody = z
  .object({
    email,
    name,
    phone: phone.default(null),
    locale: z.enum(LOCALES).nullable().default(null),
    password,
    grant: GrantBody,
  })
  .strict()
  .openapi('UserBody');

export const UserPatch = z
  .object({
    email,
    name,
    phone,
    locale: z.enum(LOCALES).nullable(),
    disabled: z
      .boolean()
      .openapi({ description: 'a disabled user cannot log in; their sessions and tokens stop' }),
  })
  .partial()
  .strict()
  .openapi('UserPatch');

const SORTS = Object.keys(USER_SORTS) as [UserSort, ...UserSort[]];
export const UserQuery = z.object({
  q: z.string().max(100).optional().openapi({ description: 'part of the e-mail, name or phone' }),
  role: z.enum(ROLES).optional().openapi({ description: 'users holding this role on your tenant' }),
  disabled: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  sort: z.enum(SORTS).default('email'),
  ...PageQuery,
});

export const UserList = z
  .object({
    items: z.array(User),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .openapi('UserList');

export const UserGrantParam = z.object({ id: z.string().max(64), grantId: z.string().max(64) });

export const PasswordResetBody = z.object({ password }).strict().openapi('PasswordResetBody');
export const PasswordChangeBody = z
  .object({ currentPassword: password, newPassword: password })
  .strict()
  .openapi('PasswordChangeBody');

export const ApiToken = z
  .object({
    id,
    name: z.string(),
    prefix: z.string().openapi({ description: 'the first characters, to tell tokens apart' }),
    userId: id,
    userEmail: z.string(),
    grantId: id,
    role: z.enum(ROLES),
    siteId: id.nullable(),
    siteName: z.string().nullable(),
    cityId: id.nullable(),
    cityName: z.string().nullable(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
  })
  .openapi('ApiToken');

export const ApiTokenCreated = ApiToken.extend({
  token: z.string().openapi({ description: 'the token itself, shown only in this answer', example: 'vmt_…' }),
}).openapi('ApiTokenCreated');

export const ApiTokenBody = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100),
    expiresAt: z.iso
      .datetime({ offset: true })
      .nullable()
      .default(null)
      .openapi({ description: 'null: never expires' }),
    grantId: id.optional().openapi({
      description:
        'one of your grants on this tenant the token acts with (default: the one you are signed in with)',
    }),
  })
  .strict()
  .openapi('ApiTokenBody');

export const ApiTokenQuery = z.object({
  user: z
    .enum(['me', 'all'])
    .default('me')
    .openapi({ description: "all: every user's tokens on the tenant (tenant-wide admins)" }),
});

export const ApiTokenList = z.object({ items: z.array(ApiToken) }).openapi('ApiTokenList');
