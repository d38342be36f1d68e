/**
 * The logger the API server writes to: the subset of pino's interface it uses, so a pino
 * logger can be passed as is. Access-log lines go to `info` as one structured object each.
 */

/** A structured logger (pino-compatible). */
export interface ApiServerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

/** A logger that drops everything. */
export const silentLogger: ApiServerLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** A logger that writes one JSON line per entry to a stream (default: stderr). */
export function jsonLineLogger(stream: NodeJS.WritableStream = process.stderr): ApiServerLogger {
  const write = (level: string) => (obj: object, msg?: string) => {
    stream.write(`${JSON.stringify({ level, time: new Date().toISOString(), ...obj, ...(msg ? { msg } : {}) })}\n`);
  };
  return { info: write('info'), warn: write('warn'), error: write('error'), debug: write('debug') };
}

/** One line of the access log. */
export interface AccessLogEntry {
  verb: string;
  method: string;
  uri: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** The authenticated caller. */
  user: string;
  /** The user the request acted as, when it impersonated one. */
  impersonatedUser?: string;
  userAgent?: string;
  sourceIP?: string;
  code: number;
  latencyMs: number;
}
