/**
 * An error a person can act on: the message is a sentence for them in English, `code` is for
 * programs, and `params` the values a face needs to word it in another language (the desk words
 * `E_EMPTY_LIST` as `msg.empty-list`, see messageCode). Job processors say "do not retry" with
 * BullMQ's UnrecoverableError instead.
 */
export class GazetteError extends Error {
  override name = 'GazetteError';
  readonly code: string;
  readonly params: Record<string, string | number>;
  constructor(
    message: string,
    opts: { code?: string; params?: Record<string, string | number>; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.code = opts.code ?? 'E_GAZETTE';
    this.params = opts.params ?? {};
  }

  /** The message code of this error: `E_EMPTY_LIST` is `empty-list`. */
  get messageCode(): string {
    return this.code.replace(/^E_/, '').toLowerCase().replaceAll('_', '-');
  }
}
