/**
 * SMS through Twilio's Messages API with the official `twilio` library. Twilio reports the final
 * state later on the status callback (routes: POST /api/alerts/twilio/status).
 */
import twilio from 'twilio';
import { DELIVERY_ERROR_CODES, DeliveryError, type Sender } from './types.js';

export interface SmsOptions {
  accountSid: string;
  authToken: string;
  from: string;
  /** Where Twilio posts delivery status (`${PUBLIC_URL}/api/alerts/twilio/status`). */
  statusCallbackUrl: string | null;
  /** Tests: a RequestClient that talks to a local fake Twilio. */
  httpClient?: twilio.RequestClient;
}

export function createSmsSender(options: SmsOptions): Sender {
  const client = twilio(options.accountSid, options.authToken, {
    ...(options.httpClient ? { httpClient: options.httpClient } : {}),
  });
  return async function sendSms(message) {
    try {
      const sent = await client.messages.create({
        to: message.address,
        from: options.from,
        body: message.body,
        ...(options.statusCallbackUrl ? { statusCallback: options.statusCallbackUrl } : {}),
      });
      return { providerId: sent.sid, status: 'sent' };
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      const permanent = typeof status === 'number' && status >= 400 && status < 500 && status !== 429;
      throw new DeliveryError(
        permanent ? DELIVERY_ERROR_CODES.permanent : DELIVERY_ERROR_CODES.transient,
        `twilio: ${typeof status === 'number' ? `HTTP ${status}: ` : ''}${(error as Error).message}`,
        { cause: error },
      );
    }
  };
}
