/** HTTP shapes of the audit endpoint. */
import { z } from '@hono/zod-openapi';
import { AUDIT_ACTIONS } from './audit-log.js';

export const AuditQuery = z.object({
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
  actor: z.string().max(320).optional().openapi({ description: 'user id, or part of the e-mail' }),
  action: z.enum(AUDIT_ACTIONS).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const AuditPage = z
  .object({
    items: z.array(
      z.object({
        id: z.number().int(),
        at: z.string(),
        userId: z.string().nullable(),
        userEmail: z.string().nullable(),
        action: z.string(),
        targetType: z.string().nullable(),
        targetId: z.string().nullable(),
        details: z.record(z.string(), z.unknown()),
        ip: z.string().nullable(),
        userAgent: z.string().nullable(),
      }),
    ),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .openapi('AuditPage');
