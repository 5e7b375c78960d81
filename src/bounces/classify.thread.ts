import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { classifyBounce } from './classify/classify-bounce.ts';
import type { BounceResult } from './classify/result.ts';

/** How much lower than the event loop's thread this one runs (issue 17: /health first, classifying after). */
const NICENESS = 10;

// On Linux a thread has a niceness of its own (setpriority(2) on its thread id, which proc(5)'s
// /proc/thread-self names), so whenever both want a processor the HTTP and SMTP thread gets it first.
// Elsewhere this is skipped: the thread still keeps the work off the event loop.
try {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid) && tid > 0) setPriority(tid, NICENESS);
} catch {}

/** The classifier thread's one task (see startBounceClassifier): classifies the bytes of one message. */
export default function classifyInThread(raw: Uint8Array): Promise<BounceResult[]> {
  return classifyBounce(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
}
