/**
 * The API server's access log: one structured line per request, written at `info` to the
 * server's logger (core's pino `Logger`).
 */

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
