import pino, { type Logger } from "pino";
import pretty from "pino-pretty";

export type { Logger };

export interface LoggerOptions {
  /** trace, debug, info, warn, error, fatal, silent; default $LAKEWARDEN_LOG_LEVEL or info. */
  level?: string;
  /** json (one object a line) or pretty (readable lines); default $LAKEWARDEN_LOG_FORMAT, else pretty on a TTY. */
  format?: "json" | "pretty";
  /** Where lines go; default stdout. */
  fd?: number;
}

/**
 * The logger of long-running commands: JSON lines in a container (stdout not a TTY), readable coloured lines on a
 * terminal. Writes are synchronous so that the last lines before an exit are never lost.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const fd = options.fd ?? 1;
  const level = options.level ?? process.env.LAKEWARDEN_LOG_LEVEL ?? "info";
  const envFormat = process.env.LAKEWARDEN_LOG_FORMAT;
  const format = options.format ?? (envFormat === "json" || envFormat === "pretty" ? envFormat : fd === 1 && process.stdout.isTTY ? "pretty" : "json");
  const base = { level, timestamp: pino.stdTimeFunctions.isoTime, base: { pid: process.pid } };
  if (format === "pretty") {
    const colorize = !process.env.NO_COLOR && fd === 1 && process.stdout.isTTY === true;
    // On a terminal the message says it all; the fields are for machines (JSON).
    return pino(base, pretty({ destination: fd, sync: true, colorize, hideObject: true, translateTime: "SYS:HH:MM:ss" }));
  }
  return pino(base, pino.destination({ dest: fd, sync: true }));
}
