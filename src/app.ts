import { createAccountLinkStore } from './accounts/account-link-store.ts';
import { createApiTokenStore } from './accounts/api-token-store.ts';
import { createPasskeyCeremony, relyingPartyOf } from './accounts/passkey-ceremony.ts';
import { createPasskeyStore } from './accounts/passkey-store.ts';
import { createSecondFactorStore } from './accounts/second-factor-store.ts';
import { createSessionStore } from './accounts/session-store.ts';
import { providerClientOf } from './accounts/sso/provider-client.ts';
import { createSsoFlowStore } from './accounts/sso/sso-flow-store.ts';
import { createSsoLinkStore } from './accounts/sso/sso-link-store.ts';
import { createUserStore } from './accounts/user-store.ts';
import { createAuditLog } from './audit/audit-log.ts';
import { bounceStoreOf, createBouncePolicy } from './bounces/policy.ts';
import { createClickStore } from './clicks/click-store.ts';
import type { Config } from './config.ts';
import { createIssueEvents } from './issue/issue-events.ts';
import { createIssueStore } from './issue/issue-store.ts';
import type { AnyRedis } from './redis.ts';
import { connectRedis, isCluster, setHashTags } from './redis.ts';
import { bounceSendControl } from './send/control/bounce-control.ts';
import { createQueues, type Queues } from './send/jobs/queues.ts';
import { createSendStore } from './send/record/send-store.ts';
import { createSubscriberStore } from './subscribers/subscriber-store.ts';

/** What a caller (a test, a command) may supply instead of what createGazette would make. */
export interface GazetteOverrides {
  /** A connection to use (and not close); absent, one is opened from REDIS_URL or REDIS_CLUSTER_NODES. */
  redis?: AnyRedis;
  /** Epoch ms; tests move it. */
  clock?: () => number;
  log?: (message: string) => void;
}

/**
 * The composition root: one Redis connection and every store, the bounce policy and the queues,
 * each built once. The CLI, the public server, the desk and the workers take what they need from
 * it; `close` ends what it opened. The queues open their connections on first use only.
 */
export function createGazette(config: Config, overrides: GazetteOverrides = {}) {
  const redis = overrides.redis ?? connectRedis(config);
  // A cluster connection made elsewhere still needs the cluster's key layout (see taggedKey).
  if (isCluster(redis)) setHashTags(true);
  const log = overrides.log ?? ((m: string) => console.error(m));
  const deps = { redis, prefix: config.REDIS_PREFIX, ...(overrides.clock ? { clock: overrides.clock } : {}) };
  const subscribers = createSubscriberStore(deps);
  const bounces = bounceStoreOf(redis, config);
  const sends = createSendStore({ ...deps, bounces });
  const policy = createBouncePolicy({
    ...deps,
    config,
    bounces,
    subscribers,
    sends: bounceSendControl(sends),
    log,
  });
  const passkeys = createPasskeyStore(deps);
  let queues: Queues | undefined;
  return {
    config,
    redis,
    log,
    subscribers,
    sends,
    clicks: createClickStore(deps),
    policy,
    bounces,
    issues: createIssueStore(deps),
    issueEvents: createIssueEvents(deps),
    users: createUserStore(deps),
    sessions: createSessionStore(deps),
    accountLinks: createAccountLinkStore(deps),
    secondFactors: createSecondFactorStore({ ...deps, secret: config.GAZETTE_SECRET }),
    passkeys,
    passkeyCeremony: createPasskeyCeremony({
      ...deps,
      store: passkeys,
      relyingParty: relyingPartyOf(config),
      secret: config.GAZETTE_SECRET,
    }),
    tokens: createApiTokenStore(deps),
    ssoFlows: createSsoFlowStore(deps),
    /** Which desk account each person of the identity provider is linked to. */
    ssoLinks: createSsoLinkStore(deps),
    /** The OpenID Provider of single sign-on, or null when OIDC_ISSUER is unset. */
    sso: providerClientOf(config),
    audit: createAuditLog(deps),
    /** The send and deliver queues, opened on first use. */
    get queues(): Queues {
      queues ??= createQueues(config, log);
      return queues;
    },
    /** Closes the queues and, unless it was given, the Redis connection. */
    async close(): Promise<void> {
      await queues?.close();
      if (!overrides.redis) await redis.quit();
    },
  };
}

/** Everything createGazette builds. */
export type Gazette = ReturnType<typeof createGazette>;
