/** The bounce classifier's public API: pure functions, data in and data out. */

export { classifySmtpReply, decideReason, type ReplyClassification } from './classify.ts';
export { classifyBounce } from './classify-bounce.ts';
export { BounceKind, BounceReason, BounceResult, kindOf } from './result.ts';
