import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs, one object per line. Secrets never reach a log line: request bodies and
 * authorization headers are not logged at all, and known secret-bearing keys are redacted as
 * a second line of defence.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'longrun' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'password',
          'newPassword',
          'client_secret',
          'secret',
          'access_token',
          'authorization',
          '*.password',
          '*.newPassword',
          '*.client_secret',
          '*.secret',
          '*.authorization',
          'req.headers.authorization',
        ],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

export const silentLogger = (): Logger => pino({ level: 'silent' });
