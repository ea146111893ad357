import { pino } from 'pino';

export type Logger = pino.Logger;

/**
 * Structured logs. Redaction is a second line of defence: the code never logs tokens,
 * but if a header or config object slips into a log line, these paths are censored.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'ticket-hub' },
      redact: {
        paths: [
          'authorization',
          'token',
          'password',
          'secret',
          '*.authorization',
          '*.token',
          '*.password',
          '*.secret',
          '*.privateKey',
          'headers.authorization',
          'req.headers.authorization',
          'connectionParams',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
