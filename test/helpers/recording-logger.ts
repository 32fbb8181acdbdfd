import type { CacheLogger } from 'glasswork';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  context: Record<string, unknown> | undefined;
}

/** A logger that keeps every line, for assertions. */
export function recordingLogger(): CacheLogger & { lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (message: string, context?: Record<string, unknown>) =>
    lines.push({ level, message, context });
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    text: () => lines.map((line) => `${line.message} ${JSON.stringify(line.context)}`).join('\n'),
  };
}
