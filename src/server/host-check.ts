import type { MiddlewareHandler } from 'hono';

/** The names a local tool answers to when no others are configured. */
export const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'] as const;

/** The host name of a Host header, lower-cased and without its port (`[::1]:4000` → `[::1]`). */
function hostName(header: string): string {
  const host = header.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  return host.replace(/:\d*$/, '').replace(/\.$/, '');
}

/**
 * Answers 403 to a request whose Host is not one of `hosts` (plus LOCAL_HOSTS): a page on another
 * site that rebinds its DNS name to 127.0.0.1 reaches the server, but under its own name, so it is
 * refused before it can read anything.
 */
export function hostCheck(hosts: readonly string[] = []): MiddlewareHandler {
  const allowed = new Set([...LOCAL_HOSTS, ...hosts.map(hostName)]);
  return async (c, next) => {
    // A request made in-process (app.request) has no Host header; its URL names the host instead.
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    if (!allowed.has(hostName(host))) {
      return c.text('This server answers only to its own host names (see PREVIEW_HOSTS).', 403);
    }
    await next();
  };
}
