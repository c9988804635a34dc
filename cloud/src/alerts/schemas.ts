/**
 * Zod schemas of the alert endpoints (rules, incidents, on-call groups, recipients, webhooks,
 * notifications and the in-app inbox). They validate requests and generate the OpenAPI document;
 * the web app codes against the generated types. Socket.IO events: `incident:update` (an
 * `Incident`) and `notification:new` (an `InboxItem`).
 */
import { z } from '@hono/zod-openapi';
import { PageQuery } from '../resources/schemas.js';

const id = z.string().uuid();
const time = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const list = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      items: z.array(item),
      total: z.number().int(),
      limit: z.number().int(),
      offset: z.number().int(),
    })
    .openapi(name);

export const RULE_KINDS = [
  'station_offline',
  'site_unreachable',
  'connector_faulted',
  'fault_burst',
  'charging_error',
  'heartbeat_missed',
  'firmware_failed',
  'diagnostics_failed',
  'security_event',
  'maintenance_due',
  'session_stuck',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const CHANNELS = ['sms', 'email', 'webhook', 'in_app'] as const;
export type Channel = (typeof CHANNELS)[number];
/** Channels a person can choose (webhooks are the tenant's, not a person's). */
export const PERSONAL_CHANNELS = ['sms', 'email', 'in_app'] as const;
export type PersonalChannel = (typeof PERSONAL_CHANNELS)[number];
export const INCIDENT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const NOTIFICATION_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
export const NOTIFICATION_REASONS = ['opened', 'escalated', 'recovered', 'test'] as const;
export const INCIDENT_EVENT_TYPES = [
  'opened',
  'reopened',
  'escalated',
  'acknowledged',
  'resolved',
  'auto_resolved',
  'comment',
] as const;

// ---- rule parameters, one shape per kind (all integers; minutes, hours, counts)

const minutes = (min: number) => z.number().int().min(min).max(10_080);
export const RULE_PARAMS = {
  station_offline: z.object({ durationMinutes: minutes(1) }).strict(),
  site_unreachable: z.object({ durationMinutes: minutes(1) }).strict(),
  connector_faulted: z.object({ durationMinutes: minutes(0) }).strict(),
  fault_burst: z.object({ threshold: z.number().int().min(2).max(1000), windowMinutes: minutes(1) }).strict(),
  charging_error: z
    .object({ windowMinutes: minutes(1), noMeterMinutes: minutes(1), suspendedMinutes: minutes(1) })
    .strict(),
  heartbeat_missed: z.object({ missedIntervals: z.number().int().min(2).max(100) }).strict(),
  firmware_failed: z.object({ windowMinutes: minutes(1) }).strict(),
  diagnostics_failed: z.object({ windowMinutes: minutes(1) }).strict(),
  security_event: z.object({ windowMinutes: minutes(1) }).strict(),
  maintenance_due: z
    .object({
      energyKwh: z.number().int().min(1).max(100_000_000).optional(),
      sessions: z.number().int().min(1).max(100_000_000).optional(),
      operatingHours: z.number().int().min(1).max(1_000_000).optional(),
      days: z.number().int().min(1).max(3650).optional(),
    })
    .strict()
    .refine(
      (p) => Object.keys(p).length > 0,
      'name at least one of energyKwh, sessions, operatingHours, days',
    ),
  session_stuck: z.object({ hours: z.number().int().min(1).max(720) }).strict(),
} as const satisfies Record<RuleKind, z.ZodType>;

export const AlertRuleParams = z.record(z.string(), z.number()).openapi('AlertRuleParams', {
  description:
    'Thresholds of the rule kind (docs/alerts.md): station_offline/site_unreachable/connector_faulted {durationMinutes}; fault_burst {threshold, windowMinutes}; charging_error {windowMinutes, noMeterMinutes, suspendedMinutes}; heartbeat_missed {missedIntervals}; firmware_failed/diagnostics_failed/security_event {windowMinutes}; maintenance_due {energyKwh?, sessions?, operatingHours?, days?}; session_stuck {hours}',
  example: { durationMinutes: 10 },
});

/** Field errors of `params` for `kind`, with paths like `params.durationMinutes`. */
export function paramIssues(kind: RuleKind, params: unknown): { path: string; message: string }[] {
  const result = RULE_PARAMS[kind].safeParse(params);
  if (result.success) return [];
  return result.error.issues.map((i) => ({
    path: ['params', ...i.path].join('.'),
    message: i.message,
  }));
}

// ---- rules

const RuleScope = z
  .object({
    cityIds: z.array(id).max(100),
    siteIds: z.array(id).max(500),
    stationIds: z.array(id).max(5000),
  })
  .openapi('AlertRuleScope', { description: 'All empty: every station of the tenant.' });
const RuleRecipients = z
  .object({
    /** The on-call groups whose site or city covers the target (the site's maintenance crew). */
    siteOnCall: z.boolean(),
    groupIds: z.array(id).max(50),
    userIds: z.array(id).max(200),
  })
  .openapi('AlertRuleRecipients');
const RuleEscalation = z
  .object({
    /** Minutes without acknowledgement before the next level is notified; null = no escalation. */
    afterMinutes: z.number().int().min(1).max(10_080).nullable(),
    /** Notified after the last level of the recipients' groups. */
    groupId: id.nullable(),
  })
  .openapi('AlertRuleEscalation');

const RuleFields = z.object({
  name: text(100),
  severity: z.enum(SEVERITIES),
  enabled: z.boolean(),
  scope: RuleScope,
  params: AlertRuleParams,
  cooldownMinutes: z.number().int().min(0).max(10_080),
  channels: z.array(z.enum(CHANNELS)).min(1).max(4),
  recipients: RuleRecipients,
  notifyOnRecovery: z.boolean(),
  escalation: RuleEscalation,
});

/**
 * The params must fit the kind. It also runs when other fields are wrong (zod skips refinements of
 * an object with issues unless `when` says otherwise), so one answer names every bad field.
 */
const paramsFitKind = z.superRefine((b: { kind: RuleKind; params: unknown }, ctx) => {
  for (const issue of paramIssues(b.kind, b.params)) {
    ctx.addIssue({ code: 'custom', path: issue.path.split('.'), message: issue.message });
  }
});
paramsFitKind._zod.def.when = (payload) => {
  const v = payload.value as { kind?: unknown } | null;
  return typeof v === 'object' && v !== null && (RULE_KINDS as readonly unknown[]).includes(v.kind);
};

export const AlertRuleBody = z
  .object({
    name: text(100),
    kind: z.enum(RULE_KINDS),
    severity: z.enum(SEVERITIES),
    enabled: z.boolean().default(true),
    scope: RuleScope.default({ cityIds: [], siteIds: [], stationIds: [] }),
    params: AlertRuleParams,
    cooldownMinutes: z.number().int().min(0).max(10_080).default(15),
    channels: z.array(z.enum(CHANNELS)).min(1).max(4).default(['sms', 'email', 'in_app']),
    recipients: RuleRecipients.default({ siteOnCall: true, groupIds: [], userIds: [] }),
    notifyOnRecovery: z.boolean().default(false),
    escalation: RuleEscalation.default({ afterMinutes: null, groupId: null }),
  })
  .strict()
  .check(paramsFitKind)
  .openapi('AlertRuleBody');
export type AlertRuleBody = z.infer<typeof AlertRuleBody>;

/** A PATCH names only what changes; the kind of a rule never changes (make a new rule). */
export const AlertRulePatch = RuleFields.partial().strict().openapi('AlertRulePatch');
export type AlertRulePatch = z.infer<typeof AlertRulePatch>;

export const AlertRule = z
  .object({
    id,
    name: z.string(),
    kind: z.enum(RULE_KINDS),
    severity: z.enum(SEVERITIES),
    enabled: z.boolean(),
    scope: RuleScope,
    params: AlertRuleParams,
    cooldownMinutes: z.number().int(),
    channels: z.array(z.enum(CHANNELS)),
    recipients: RuleRecipients,
    notifyOnRecovery: z.boolean(),
    escalation: RuleEscalation,
    /** Created with the tenant (docs/alerts.md lists the defaults). */
    isDefault: z.boolean(),
    openIncidents: z.number().int(),
    lastEvaluatedAt: time.nullable(),
    createdAt: time,
    updatedAt: time,
  })
  .openapi('AlertRule');
export type AlertRule = z.infer<typeof AlertRule>;

export const RULE_SORTS = [
  'name',
  '-name',
  'kind',
  '-kind',
  'severity',
  '-severity',
  'createdAt',
  '-createdAt',
] as const;
export const AlertRuleQuery = z.object({
  kind: z.enum(RULE_KINDS).optional(),
  severity: z.enum(SEVERITIES).optional(),
  enabled: z.enum(['true', 'false']).optional(),
  q: z.string().max(100).optional().openapi({ description: 'part of the name' }),
  sort: z.enum(RULE_SORTS).default('name'),
  ...PageQuery,
});
export const AlertRuleList = list(AlertRule, 'AlertRuleList');

// ---- incidents

const UserRef = z.object({ id, name: z.string() }).openapi('UserRef');

export const IncidentTarget = z
  .object({
    siteId: id,
    siteName: z.string(),
    cityId: id.nullable(),
    stationId: id.nullable(),
    stationIdentity: z.string().nullable(),
    stationName: z.string().nullable(),
    evseId: z.number().int().nullable(),
    connectorId: z.number().int().nullable(),
  })
  .openapi('IncidentTarget');

export const Incident = z
  .object({
    id,
    ruleId: id,
    ruleName: z.string(),
    kind: z.enum(RULE_KINDS),
    severity: z.enum(SEVERITIES),
    status: z.enum(INCIDENT_STATUSES),
    /** One line: what and where, e.g. "CP-0042 offline at Berlin Depot". */
    title: z.string(),
    target: IncidentTarget,
    /** Kind-specific facts (errorCode, vendorErrorCode, faults, reason, ...). */
    details: z.record(z.string(), z.unknown()),
    /** When the condition began. */
    since: time,
    openedAt: time,
    acknowledgedAt: time.nullable(),
    acknowledgedBy: UserRef.nullable(),
    resolvedAt: time.nullable(),
    resolvedBy: UserRef.nullable(),
    autoResolved: z.boolean(),
    flapCount: z.number().int(),
    escalationLevel: z.number().int(),
    lastNotifiedAt: time.nullable(),
    /** `${PUBLIC_URL}/stations/<id>` (or the site's stations list for a site incident). */
    link: z.string(),
  })
  .openapi('Incident');
export type Incident = z.infer<typeof Incident>;

export const IncidentEvent = z
  .object({
    id: z.string(),
    at: time,
    type: z.enum(INCIDENT_EVENT_TYPES),
    user: UserRef.nullable(),
    comment: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('IncidentEvent');
export type IncidentEvent = z.infer<typeof IncidentEvent>;

export const INCIDENT_SORTS = [
  'openedAt',
  '-openedAt',
  'severity',
  '-severity',
  'status',
  '-status',
] as const;
export const IncidentQuery = z.object({
  status: z
    .enum([...INCIDENT_STATUSES, 'unresolved'])
    .optional()
    .openapi({ description: '`unresolved` = open or acknowledged' }),
  severity: z.enum(SEVERITIES).optional(),
  kind: z.enum(RULE_KINDS).optional(),
  ruleId: id.optional(),
  siteId: id.optional(),
  stationId: id.optional(),
  from: time.optional().openapi({ description: 'opened at or after' }),
  to: time.optional().openapi({ description: 'opened before' }),
  sort: z.enum(INCIDENT_SORTS).default('-openedAt'),
  ...PageQuery,
});
export const IncidentList = list(Incident, 'IncidentList');

export const AcknowledgeBody = z
  .object({ comment: z.string().trim().max(2000).optional() })
  .strict()
  .openapi('AcknowledgeBody');
export const ResolveBody = z
  .object({ comment: text(2000) })
  .strict()
  .openapi('ResolveBody');

// ---- notifications

export const Notification = z
  .object({
    id,
    incidentId: id.nullable(),
    reason: z.enum(NOTIFICATION_REASONS),
    channel: z.enum(CHANNELS),
    status: z.enum(NOTIFICATION_STATUSES),
    severity: z.enum(SEVERITIES),
    recipient: z.object({
      userId: id.nullable(),
      name: z.string().nullable(),
      webhookId: id.nullable(),
      /** Phone, e-mail or URL the message went to. */
      address: z.string(),
    }),
    subject: z.string(),
    body: z.string(),
    attempts: z.number().int(),
    nextAttemptAt: time.nullable(),
    /** Twilio message SID, SMTP message id or webhook response status. */
    providerId: z.string().nullable(),
    lastError: z.string().nullable(),
    createdAt: time,
    sentAt: time.nullable(),
    deliveredAt: time.nullable(),
    readAt: time.nullable(),
  })
  .openapi('Notification');
export type Notification = z.infer<typeof Notification>;

export const IncidentDetail = Incident.extend({
  events: z.array(IncidentEvent),
  notifications: z.array(Notification),
}).openapi('IncidentDetail');

export const NotificationQuery = z.object({
  channel: z.enum(CHANNELS).optional(),
  status: z.enum(NOTIFICATION_STATUSES).optional(),
  incidentId: id.optional(),
  from: time.optional().openapi({ description: 'created at or after' }),
  to: time.optional().openapi({ description: 'created before' }),
  ...PageQuery,
});
export const NotificationList = list(Notification, 'NotificationList');

export const InboxItem = z
  .object({
    id,
    incidentId: id.nullable(),
    reason: z.enum(NOTIFICATION_REASONS),
    severity: z.enum(SEVERITIES),
    subject: z.string(),
    body: z.string(),
    link: z.string().nullable(),
    createdAt: time,
    readAt: time.nullable(),
  })
  .openapi('InboxItem');
export type InboxItem = z.infer<typeof InboxItem>;

export const InboxQuery = z.object({
  unread: z.enum(['true', 'false']).optional().openapi({ description: 'true: only unread items' }),
  ...PageQuery,
});
export const Inbox = z
  .object({
    items: z.array(InboxItem),
    total: z.number().int(),
    unread: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .openapi('Inbox');

export const InboxReadBody = z
  .object({ ids: z.array(id).min(1).max(500).optional(), all: z.literal(true).optional() })
  .strict()
  .refine((b) => (b.ids === undefined) !== (b.all === undefined), {
    message: 'send either ids or all: true',
    path: ['ids'],
  })
  .openapi('InboxReadBody');
export const InboxReadResult = z
  .object({ marked: z.number().int(), unread: z.number().int() })
  .openapi('InboxReadResult');

// ---- on-call groups

const Member = z
  .object({
    userId: id,
    name: z.string(),
    email: z.string(),
    phone: z.string().nullable(),
    level: z.number().int(),
    position: z.number().int(),
  })
  .openapi('OncallMember');

export const OncallGroup = z
  .object({
    id,
    name: z.string(),
    description: z.string(),
    /** Both null: the whole tenant. */
    siteId: id.nullable(),
    siteName: z.string().nullable(),
    cityId: id.nullable(),
    cityName: z.string().nullable(),
    members: z.array(Member),
    createdAt: time,
    updatedAt: time,
  })
  .openapi('OncallGroup');
export type OncallGroup = z.infer<typeof OncallGroup>;

const MemberBody = z
  .object({ userId: id, level: z.number().int().min(1).max(5).default(1) })
  .strict()
  .openapi('OncallMemberBody');
const GroupFields = z.object({
  name: text(100),
  description: z.string().trim().max(500),
  siteId: id.nullable(),
  cityId: id.nullable(),
  /** In order: the position in the list is the order within a level. */
  members: z.array(MemberBody).max(100),
});
const oneScope = (b: { siteId?: string | null; cityId?: string | null }) => !(b.siteId && b.cityId);
export const OncallGroupBody = GroupFields.extend({
  description: z.string().trim().max(500).default(''),
  siteId: id.nullable().default(null),
  cityId: id.nullable().default(null),
  members: z.array(MemberBody).max(100).default([]),
})
  .strict()
  .refine(oneScope, { message: 'a group belongs to a site or a city, not both', path: ['cityId'] })
  .openapi('OncallGroupBody');
export type OncallGroupBody = z.infer<typeof OncallGroupBody>;
export const OncallGroupPatch = GroupFields.partial()
  .strict()
  .refine(oneScope, { message: 'a group belongs to a site or a city, not both', path: ['cityId'] })
  .openapi('OncallGroupPatch');
export type OncallGroupPatch = z.infer<typeof OncallGroupPatch>;
export const OncallGroupQuery = z.object({
  siteId: id.optional(),
  cityId: id.optional(),
  q: z.string().max(100).optional(),
  ...PageQuery,
});
export const OncallGroupList = list(OncallGroup, 'OncallGroupList');

// ---- recipients (users of the tenant and their alert contact preferences)

const hhmm = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be HH:MM (24 h)');
const timeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone like Europe/Berlin');
export const QuietHours = z.object({ start: hhmm, end: hhmm, timeZone }).strict().openapi('QuietHours', {
  description: 'Non-critical SMS and e-mail are held until `end` (in-app is never held).',
});
export type QuietHours = z.infer<typeof QuietHours>;

export const Recipient = z
  .object({
    userId: id,
    name: z.string(),
    email: z.string(),
    phone: z.string().nullable(),
    role: z.string(),
    channels: z.array(z.enum(PERSONAL_CHANNELS)),
    quietHours: QuietHours.nullable(),
    groups: z.array(z.object({ id, name: z.string(), level: z.number().int() })),
  })
  .openapi('Recipient');
export type Recipient = z.infer<typeof Recipient>;

export const RecipientBody = z
  .object({
    phone: z
      .string()
      .trim()
      .regex(/^\+[1-9][0-9]{1,14}$/, 'must be E.164, like +4915112345678')
      .nullable(),
    channels: z.array(z.enum(PERSONAL_CHANNELS)).max(3),
    quietHours: QuietHours.nullable(),
  })
  .strict()
  .openapi('RecipientBody');
export type RecipientBody = z.infer<typeof RecipientBody>;
export const RecipientQuery = z.object({
  q: z.string().max(100).optional().openapi({ description: 'part of the name or e-mail' }),
  ...PageQuery,
});
export const RecipientList = list(Recipient, 'RecipientList');
export const UserIdParam = z.object({ userId: z.string().max(64) });

// ---- webhooks

export const Webhook = z
  .object({ id, name: z.string(), url: z.string(), enabled: z.boolean(), createdAt: time })
  .openapi('AlertWebhook');
export const WebhookCreated = Webhook.extend({
  /** HMAC-SHA256 key of X-Voltmesh-Signature; shown only in this answer. */
  secret: z.string(),
}).openapi('AlertWebhookCreated');
export const WebhookBody = z
  .object({
    name: text(100),
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000),
    enabled: z.boolean().default(true),
  })
  .strict()
  .openapi('AlertWebhookBody');
export const WebhookPatch = z
  .object({
    name: text(100),
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000),
    enabled: z.boolean(),
  })
  .partial()
  .strict()
  .openapi('AlertWebhookPatch');
export const WebhookList = list(Webhook, 'AlertWebhookList');

// ---- Twilio status callback (application/x-www-form-urlencoded)

export const TwilioStatusForm = z
  .object({
    MessageSid: z.string().max(64),
    MessageStatus: z.string().max(32),
    ErrorCode: z.string().max(16).optional(),
  })
  .passthrough()
  .openapi('TwilioStatusForm');

/** Socket.IO event names (payloads: `Incident`, `InboxItem`). */
export const ALERT_SOCKET_EVENTS = {
  incidentUpdate: 'incident:update',
  notificationNew: 'notification:new',
} as const;
