/**
 * An error a person can act on: the message is a sentence for them, `code` is for programs,
 * and `retryable` tells a job processor whether trying again could help.
 */
export class GazetteError extends Error {
  override name = 'GazetteError';
  readonly code: string;
  readonly retryable: boolean;
  constructor(message: string, opts: { code?: string; retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.code = opts.code ?? 'E_GAZETTE';
    this.retryable = opts.retryable ?? false;
  }
}
