/** The one structured logger of the cloud process: pino JSON on stdout, secrets redacted. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'voltmesh-cloud' },
    redact: {
      paths: [
        'password',
        '*.password',
        'req.headers.cookie',
        'headers.cookie',
        'sessionSecret',
        '*.sessionSecret',
      ],
      censor: '[redacted]',
    },
  });
}
