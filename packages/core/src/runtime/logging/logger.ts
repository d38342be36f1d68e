import { pino, type DestinationStream, type Logger as PinoLogger, type LoggerOptions } from 'pino';
import type { Clock } from '../../util/clock.js';

/** The structured logger of the runtime: a pino logger. Child loggers carry bindings such as `controller` and `key`. */
export type Logger = PinoLogger;

/** Options of `createLogger`. */
export interface CreateLoggerOptions {
  /** The minimum level: `trace`, `debug`, `info`, `warn`, `error`, `fatal` or `silent`; default per `defaultLogLevel()`. */
  level?: string;
  /** A `name` binding on every line. */
  name?: string;
  /** Where lines go; default stdout. */
  destination?: DestinationStream;
  /** Timestamps lines with this clock's time instead of the wall clock (useful on virtual time). */
  clock?: Clock;
}

/**
 * The log level used when none is given: `CONVERGE_LOG_LEVEL` if set; otherwise `silent`
 * under vitest (tests are quiet by default) and `info` elsewhere.
 */
export function defaultLogLevel(): string {
  const env = process.env.CONVERGE_LOG_LEVEL;
  if (env) return env;
  return process.env.VITEST ? 'silent' : 'info';
}

/** Creates a pino logger writing JSON lines, one per event. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const opts: LoggerOptions<never> = { level: options.level ?? defaultLogLevel() };
  if (options.name) opts.name = options.name;
  const clock = options.clock;
  if (clock) opts.timestamp = () => `,"time":${clock.now()}`;
  return options.destination ? pino(opts, options.destination) : pino(opts);
}

/** A logger that drops everything. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
