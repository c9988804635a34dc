/** A rule as the engine reads it from `alert_rules`, and the mapping to the API shape. */
import type { AlertRule, Channel, RuleKind, Severity } from './schemas.js';

export interface RuleRow {
  id: string;
  tenant_id: string;
  name: string;
  kind: RuleKind;
  severity: Severity;
  enabled: boolean;
  city_ids: string[];
  site_ids: string[];
  station_ids: string[];
  params: Record<string, number>;
  cooldown_minutes: number;
  channels: Channel[];
  notify_site_oncall: boolean;
  recipient_group_ids: string[];
  recipient_user_ids: string[];
  notify_on_recovery: boolean;
  escalation_after_minutes: number | null;
  escalation_group_id: string | null;
  is_default: boolean;
  last_evaluated_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const RULE_COLUMNS = `r.id, r.tenant_id, r.name, r.kind, r.severity, r.enabled, r.city_ids, r.site_ids,
  r.station_ids, r.params, r.cooldown_minutes, r.channels, r.notify_site_oncall, r.recipient_group_ids,
  r.recipient_user_ids, r.notify_on_recovery, r.escalation_after_minutes, r.escalation_group_id,
  r.is_default, r.last_evaluated_at, r.created_at, r.updated_at`;

export function toAlertRule(r: RuleRow & { open_incidents?: number }): AlertRule {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    severity: r.severity,
    enabled: r.enabled,
    scope: { cityIds: r.city_ids, siteIds: r.site_ids, stationIds: r.station_ids },
    params: r.params,
    cooldownMinutes: r.cooldown_minutes,
    channels: r.channels,
    recipients: {
      siteOnCall: r.notify_site_oncall,
      groupIds: r.recipient_group_ids,
      userIds: r.recipient_user_ids,
    },
    notifyOnRecovery: r.notify_on_recovery,
    escalation: { afterMinutes: r.escalation_after_minutes, groupId: r.escalation_group_id },
    isDefault: r.is_default,
    openIncidents: r.open_incidents ?? 0,
    lastEvaluatedAt: r.last_evaluated_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}
