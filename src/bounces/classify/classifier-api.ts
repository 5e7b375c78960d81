/** The bounce classifier's public API: pure functions, data in and data out. */

export { type FeedbackReport, isComplaintType, parseFeedbackReport } from './arf.ts';
export { classifyBounce } from './classify-bounce.ts';
export { classifySmtpReply, decideReason, type ReplyClassification } from './decide-reason.ts';
export { type DeliveryStatus, type DsnRecipient, parseDeliveryStatus } from './dsn.ts';
export { BounceKind, BounceReason, BounceResult, kindOf } from './result.ts';
