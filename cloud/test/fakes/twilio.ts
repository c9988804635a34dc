/**
 * A local fake of Twilio's Messages API for tests: the real `twilio` library talks to it through
 * `FakeTwilioClient` (a RequestClient that rewrites api.twilio.com to this server). It checks the
 * account's Basic auth, answers like Twilio (201 with a message SID, or a Twilio error body), can
 * simulate an outage, and posts signed status callbacks the way Twilio does.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

type RequestOptions<TData> = { data?: TData } & Omit<Parameters<twilio.RequestClient['request']>[0], 'data'>;

export interface FakeSms {
  sid: string;
  to: string;
  from: string;
  body: string;
  statusCallback: string | null;
}

/** `ok`: accept; `error500`: answer 500 like a Twilio outage; `refuse`: drop the connection. */
export type FakeTwilioMode = 'ok' | 'error500' | 'refuse';

export interface FakeTwilio {
  readonly url: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** Accepted messages, in order. */
  readonly messages: FakeSms[];
  /** Requests that reached the server (accepted or not). */
  attempts: number;
  mode: FakeTwilioMode;
  /**
   * Posts Twilio's status callback for a message: signed with the auth token over the callback URL
   * Twilio knows (the public one), sent to `deliverTo` (where that URL is served in the test).
   */
  callback(
    sid: string,
    status: string,
    options: { deliverTo: string; errorCode?: string; badSignature?: boolean },
  ): Promise<number>;
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const messages: FakeSms[] = [];
  const state = { attempts: 0, mode: 'ok' as FakeTwilioMode };
  const server: Server = createServer((req, res) => {
    void (async () => {
      state.attempts++;
      if (state.mode === 'refuse') {
        req.socket.destroy();
        return;
      }
      const raw = await readBody(req);
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (state.mode === 'error500') {
        return send(500, { code: 20500, message: 'Internal Server Error', status: 500 });
      }
      const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
      if (req.headers.authorization !== expected) {
        return send(401, { code: 20003, message: 'Authenticate', status: 401 });
      }
      const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match || match[1] !== accountSid) {
        return send(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
      }
      const form = new URLSearchParams(raw);
      const to = form.get('To') ?? '';
      if (!/^\+[1-9][0-9]{1,14}$/.test(to)) {
        return send(400, {
          code: 21211,
          message: `The 'To' number ${to} is not a valid phone number.`,
          status: 400,
        });
      }
      const sms: FakeSms = {
        sid: `SM${randomBytes(16).toString('hex')}`,
        to,
        from: form.get('From') ?? '',
        body: form.get('Body') ?? '',
        statusCallback: form.get('StatusCallback'),
      };
      messages.push(sms);
      send(201, {
        sid: sms.sid,
        account_sid: accountSid,
        to: sms.to,
        from: sms.from,
        body: sms.body,
        status: 'queued',
        num_segments: '1',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        date_created: new Date().toUTCString(),
        uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sms.sid}.json`,
      });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    accountSid,
    authToken,
    messages,
    get attempts() {
      return state.attempts;
    },
    set attempts(n: number) {
      state.attempts = n;
    },
    get mode() {
      return state.mode;
    },
    set mode(m: FakeTwilioMode) {
      state.mode = m;
    },
    async callback(sid, status, options) {
      const sms = messages.find((m) => m.sid === sid);
      if (!sms?.statusCallback) throw new Error(`no message ${sid} with a status callback`);
      const params: Record<string, string> = {
        AccountSid: accountSid,
        MessageSid: sid,
        SmsSid: sid,
        MessageStatus: status,
        To: sms.to,
        From: sms.from,
        ApiVersion: '2010-04-01',
        ...(options.errorCode ? { ErrorCode: options.errorCode } : {}),
      };
      const signature = twilio.getExpectedTwilioSignature(
        options.badSignature ? 'wrong-token' : authToken,
        sms.statusCallback,
        params,
      );
      const path = new URL(sms.statusCallback).pathname;
      const res = await fetch(`${options.deliverTo}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params).toString(),
      });
      await res.body?.cancel();
      return res.status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The real Twilio RequestClient, sending to the fake instead of https://api.twilio.com. */
export class FakeTwilioClient extends twilio.RequestClient {
  constructor(private readonly baseUrl: string) {
    super();
  }
  override request<TData>(opts: RequestOptions<TData>) {
    const uri = new URL(opts.uri);
    return super.request<TData>({ ...opts, uri: `${this.baseUrl}${uri.pathname}${uri.search}` });
  }
}
