import { createHash } from 'node:crypto';
import { z } from 'zod';
import { redisKey, type StoreDeps } from '../../redis.ts';

/** A sign-in through the provider must come back within this time. */
export const SSO_FLOW_S = 10 * 60;

/** What the callback needs of the flow it ends: the PKCE verifier, the nonce and where to go after. */
export const SsoFlow = z.object({ verifier: z.string(), nonce: z.string(), next: z.string() });
export type SsoFlow = z.infer<typeof SsoFlow>;

/** Keys hold a digest of the state, never the state itself, as sessions do. */
const digest = (state: string) => createHash('sha256').update(state).digest('base64url');

/**
 * Sign-ins begun at the provider and not yet back (issue 22): one key per `state`, which expires
 * after SSO_FLOW_S and is taken once (GETDEL), so a state or code replayed finds nothing.
 */
export function createSsoFlowStore({ redis, prefix }: StoreDeps) {
  const flowKey = (state: string) => redisKey(prefix, 'sso-flow', digest(state));
  return {
    /** Keeps `flow` under `state` until it is taken or expires. */
    async put(state: string, flow: SsoFlow): Promise<void> {
      await redis.set(flowKey(state), JSON.stringify(flow), 'EX', SSO_FLOW_S);
    },
    /** The flow of `state`, removed by this call; null when unknown, expired or already taken. */
    async take(state: string): Promise<SsoFlow | null> {
      const raw = await redis.getdel(flowKey(state));
      if (!raw) return null;
      const parsed = SsoFlow.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    },
  };
}

/** The flow store's interface (see createSsoFlowStore). */
export type SsoFlowStore = ReturnType<typeof createSsoFlowStore>;
