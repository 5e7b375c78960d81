/**
 * An error a person can act on: the message is a sentence for them, `code` is for programs.
 * Job processors say "do not retry" with BullMQ's UnrecoverableError instead.
 */
export class GazetteError extends Error {
  override name = 'GazetteError';
  readonly code: string;
  constructor(message: string, opts: { code?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.code = opts.code ?? 'E_GAZETTE';
  }
}
