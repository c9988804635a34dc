/** E-mail through SMTP with nodemailer: a text and an HTML part. */
import nodemailer from 'nodemailer';
import { DELIVERY_ERROR_CODES, DeliveryError, type Sender } from './types.js';

export interface EmailSender {
  send: Sender;
  close(): void;
}

export function createEmailSender(options: { smtpUrl: string; from: string }): EmailSender {
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
    async send(message) {
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: message.address,
          subject: message.subject,
          text: message.body,
          ...(message.html ? { html: message.html } : {}),
          headers: { 'X-Voltmesh-Notification': message.id },
        });
        return { providerId: info.messageId ?? null, status: 'sent' };
      } catch (error) {
        const code = (error as { responseCode?: unknown }).responseCode;
        const permanent = typeof code === 'number' && code >= 500 && code < 600;
        throw new DeliveryError(
          permanent ? DELIVERY_ERROR_CODES.permanent : DELIVERY_ERROR_CODES.transient,
          `smtp: ${(error as Error).message}`,
          { cause: error },
        );
      }
    },
    close: () => transport.close(),
  };
}
