/**
 * The alerts service of one cloud process: channels from the configuration (a channel without its
 * settings is disabled with one log line, never a crash), the scheduler and outbox loops, the live
 * relay, and what the routes need. `cloud.ts` builds it; tests build it with an injected clock and
 * fake providers.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { Server } from 'socket.io';
import type twilio from 'twilio';
import type { Config } from '../config.js';
import type { Db } from '../db/pool.js';
import type { BatchEffects } from '../ingest/effects.js';
import type { Logger } from '../observability/logger.js';
import { createEmailSender } from './channels/email.js';
import { createInAppSender } from './channels/in-app.js';
import { createSmsSender } from './channels/sms.js';
import type { Sender } from './channels/types.js';
import { createWebhookSender } from './channels/webhook.js';
import { createDispatcher, type Dispatcher } from './dispatcher.js';
import { createIncidentStore, type IncidentStore } from './incident-store.js';
import { publishAlert, startAlertRelay, type AlertRelay } from './live.js';
import { createNotificationStore, type NotificationStore } from './notification-store.js';
import { createScheduler, type Scheduler } from './scheduler.js';
import type { Channel } from './schemas.js';

export const TWILIO_STATUS_PATH = '/api/alerts/twilio/status';
const KICK_INTERVAL_MS = 1000;

export interface AlertsOptions {
  db: Db;
  nc: NatsConnection;
  log: Logger;
  settings: Config['alerts'];
  publicUrl: string;
  now?: () => Date;
  /** How often each rule is evaluated (default 30 s) and the outbox polled (default 2 s). */
  evaluationIntervalMs?: number;
  dispatchIntervalMs?: number;
  /** Run the loops in this process (default true; tests drive `scheduler.tick()` themselves). */
  loops?: boolean;
  /** Tests: a Twilio RequestClient pointed at a local fake. */
  twilioHttpClient?: twilio.RequestClient;
}

export interface Alerts {
  readonly incidents: IncidentStore;
  readonly notifications: NotificationStore;
  readonly scheduler: Scheduler;
  readonly dispatcher: Dispatcher;
  /** Channels that can deliver in this process. */
  readonly channels: readonly Channel[];
  readonly now: () => Date;
  readonly publicUrl: string;
  /** Twilio auth token for the status callback signature, when SMS is enabled. */
  readonly twilioAuthToken: string | null;
  /** Ingest and watchdog effects: re-evaluates the touched tenants' rules soon. */
  onEffects(fx: BatchEffects): Promise<void>;
  /** Incidents changed by a person through the API. */
  changed(incidentIds: string[]): Promise<void>;
  attachLive(io: Server): void;
  stop(): Promise<void>;
}

/** Runs `fn` every `intervalMs`, never two at once; `stop` waits for the running pass. */
function loop(fn: () => Promise<unknown>, intervalMs: number, onError: (e: unknown) => void) {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = fn()
      .then(() => undefined, onError)
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          run();
        }
      });
  };
  const timer = setInterval(run, intervalMs);
  return {
    now: run,
    async stop() {
      clearInterval(timer);
      stopped = true;
      again = false;
      await running;
    },
  };
}

export function createAlerts(o: AlertsOptions): Alerts {
  const now = o.now ?? (() => new Date());
  const log = o.log.child({ component: 'alerts' });
  const s = o.settings;
  const senders: Partial<Record<Channel, Sender>> = {
    in_app: createInAppSender({ db: o.db, nc: o.nc, publicUrl: o.publicUrl }),
    webhook: createWebhookSender({ db: o.db, now }),
  };
  if (s.twilioAccountSid && s.twilioAuthToken && s.twilioFrom) {
    senders.sms = createSmsSender({
      accountSid: s.twilioAccountSid,
      authToken: s.twilioAuthToken,
      from: s.twilioFrom,
      statusCallbackUrl: `${o.publicUrl}${TWILIO_STATUS_PATH}`,
      ...(o.twilioHttpClient ? { httpClient: o.twilioHttpClient } : {}),
    });
  } else {
    const missing = (['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'] as const).filter(
      (k) =>
        !{
          TWILIO_ACCOUNT_SID: s.twilioAccountSid,
          TWILIO_AUTH_TOKEN: s.twilioAuthToken,
          TWILIO_FROM: s.twilioFrom,
        }[k],
    );
    log.warn({ missing }, 'SMS alerts disabled: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM');
  }
  const email = s.smtpUrl && s.mailFrom ? createEmailSender({ smtpUrl: s.smtpUrl, from: s.mailFrom }) : null;
  if (email) senders.email = email.send;
  else {
    const missing = [...(s.smtpUrl ? [] : ['SMTP_URL']), ...(s.mailFrom ? [] : ['MAIL_FROM'])];
    log.warn({ missing }, 'e-mail alerts disabled: set SMTP_URL and MAIL_FROM');
  }
  const channels = Object.keys(senders) as Channel[];
  log.info({ channels }, 'alert channels');

  const incidents = createIncidentStore(o.db, o.publicUrl);
  const notifications = createNotificationStore(o.db, o.publicUrl);
  const changed = async (ids: string[]) => {
    for (const view of await incidents.views(ids)) publishAlert(o.nc, { type: 'incident', ...view });
  };
  const scheduler = createScheduler({
    db: o.db,
    now,
    publicUrl: o.publicUrl,
    intervalMs: o.evaluationIntervalMs ?? 30_000,
    onChanged: changed,
    onError: (error, ruleId) =>
      log.warn({ err: error, ruleId }, 'alert rule evaluation failed; retried next interval'),
  });
  const dispatcher = createDispatcher({
    db: o.db,
    senders,
    now,
    onResult: (m, outcome, error) => {
      if (outcome === 'retry' || outcome === 'failed') {
        log.warn(
          { notificationId: m.id, channel: m.channel, attempts: m.attempts, outcome, err: error },
          'notification not delivered',
        );
      }
    },
  });

  const loops = o.loops ?? true;
  const schedulerLoop = loops
    ? loop(
        () => scheduler.tick(),
        Math.min(5_000, o.evaluationIntervalMs ?? 30_000),
        (e) => log.warn({ err: e }, 'alert scheduler tick failed; will retry'),
      )
    : null;
  const dispatchLoop = loops
    ? loop(
        () => dispatcher.runOnce(),
        o.dispatchIntervalMs ?? 2_000,
        (e) => log.warn({ err: e }, 'notification dispatch failed; will retry'),
      )
    : null;
  let relay: AlertRelay | null = null;
  /** When each tenant's rules were last made due by ingest effects (process clock). */
  const kicked = new Map<string, number>();

  return {
    incidents,
    notifications,
    scheduler,
    dispatcher,
    channels,
    now,
    publicUrl: o.publicUrl,
    twilioAuthToken: senders.sms ? s.twilioAuthToken : null,
    async onEffects(fx) {
      // Meter values alone never change an alert condition that the interval would not catch.
      if (fx.changedStations.size === 0 && fx.stationEvents.length === 0) return;
      // A busy ingest commits many batches a second: each tenant's rules are kicked at most once a second.
      const at = Date.now();
      const tenants = [...new Set([...fx.tenants, ...fx.stationEvents.map((e) => e.tenantId)])].filter(
        (t) => at - (kicked.get(t) ?? 0) >= KICK_INTERVAL_MS,
      );
      if (tenants.length === 0) return;
      for (const t of tenants) kicked.set(t, at);
      await scheduler.kick(tenants);
      schedulerLoop?.now();
    },
    changed,
    attachLive(io) {
      relay = startAlertRelay({ io, nc: o.nc, log });
    },
    async stop() {
      await schedulerLoop?.stop();
      await dispatchLoop?.stop();
      await relay?.close();
      email?.close();
    },
  };
}
