import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { GazetteError } from '../errors.ts';
import { redisName, resilientOptions, untilReady } from '../redis-wait.ts';
import type { ConfirmWorkerFactory } from '../server/public/start-signups.ts';
import { listenFailure } from './listen-failure.ts';
import { workersFile } from './workers-file.ts';

/** Waits for `closing` to settle, but at most `ms`: a close that waits for an absent Redis must not hold the exit. */
function settleWithin(ms: number, closing: Promise<unknown>[]): Promise<unknown> {
  const bound = new Promise((resolve) => setTimeout(resolve, ms).unref());
  return Promise.race([Promise.allSettled(closing), bound]);
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new GazetteError(`--port: "${value}" is not a port number (0-65535)`, { code: 'E_USAGE' });
  }
  return port;
}

/** `gazette server [--port N]`: unsubscribe, subscribe and confirm pages, /health, bounce webhooks; SMTP bounce receiver. */
export function registerServerCommands(program: Command): void {
  program
    .command('server')
    .description('run the HTTP server (pages, webhooks, health) and the SMTP bounce receiver')
    .option('--port <n>', 'port to listen on (default: PORT, else 3000)')
    .action(async (o: { port?: string }) => {
      const config = loadConfig();
      const port = o.port === undefined ? config.PORT : parsePort(o.port);
      // Loaded here, not at the top: the server pulls in React and react-email, Redis and nodemailer,
      // which every other command would otherwise pay for at start-up.
      const [{ connectRedis }, { createGazette }, { startServer }, transport] = await Promise.all([
        import('../redis.ts'),
        import('../app.ts'),
        import('../server/public/start.ts'),
        import('../send/wire/transport.ts'),
      ]);
      // Started while Redis is down, the server says so and retries; /health and POSTs answer 503 meanwhile.
      const watch = resilientOptions(config, (m) => console.error(m));
      const redis = connectRedis(config, watch.options);
      redis.on('error', watch.onError);
      const stop = new AbortController();
      const stopped = new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      }).then(() => stop.abort(new Error('stopped')));
      const gazette = createGazette(config, { redis });
      const subscribers = gazette.subscribers;
      // The confirmation mails and the desk's test sends go out as real sends do (the relay, or the
      // built-in sink), through one mailer that opens at the first mail.
      const mailer = transport.lazyMailer(config, (m) => console.error(m));
      const desk = { ...gazette, queues: gazette.queues, mailer };
      const { sends, clicks, policy } = gazette;
      // A port that cannot be listened on ends the process with a sentence and status 1: the Redis
      // connections, queues and mailers made above would otherwise keep it running (issue 17).
      const giveUp = async (message: string, closing: Promise<unknown>[] = []): Promise<never> => {
        console.error(message);
        await settleWithin(1000, [...closing, gazette.close(), mailer.close()]);
        redis.disconnect();
        process.exit(1);
      };
      // The confirmation worker is the one workers/ runs, in this process (see workersFile).
      const { createConfirmWorker: confirmWorker } = (await import(workersFile('confirm.worker').href)) as {
        createConfirmWorker: ConfirmWorkerFactory;
      };
      const server = await startServer(
        { redis, subscribers, sends, clicks, policy, config, mailer, desk, confirmWorker },
        port,
      ).catch((err: unknown) => giveUp(listenFailure('The server', port, '--port or PORT', err)));
      const { deskBundleExists, MISSING_BUNDLE } = await import('../desk/desk-static.ts');
      if (!deskBundleExists()) console.error(MISSING_BUNDLE);
      console.log(
        `gazette server listening on http://localhost:${server.port} (links use ${config.PUBLIC_URL})`,
      );
      // The desk answers one host only (a DNS-rebinding page cannot reach it): name it, so that
      // nobody opens 127.0.0.1 where it wants localhost and meets a 421 (issue 18).
      const { deskOrigin } = await import('../desk/api/desk-deps.ts');
      console.log(`the desk: ${deskOrigin(config)}/desk (it answers at this address only; DESK_URL sets it)`);
      try {
        await untilReady(redis, stop.signal);
      } catch {
        // Stopped before Redis ever answered: the queues' and workers' connections would wait for it
        // for ever, and nothing was accepted meanwhile (POSTs answered 503), so give what can stop a
        // second and end the process (issue 10: < 10 s; the README says at once).
        await settleWithin(1000, [server.close(), gazette.close()]);
        redis.disconnect();
        process.exit(0);
      }
      console.log(`gazette server ready: ${redisName(config)} answers`);
      const { startBounceIntake } = await import('../bounces/intake.ts');
      const bounces = await startBounceIntake({
        config,
        redis,
        subscribers,
        bounces: gazette.bounces,
        log: (m) => console.error(m),
      }).catch((err: unknown) =>
        giveUp(listenFailure('The bounce receiver', config.BOUNCE_SMTP_PORT, 'BOUNCE_SMTP_PORT', err), [
          server.close(),
        ]),
      );
      console.log(`bounce receiver listening on smtp port ${bounces.port} for ${config.BOUNCE_DOMAIN}`);
      await stopped;
      await Promise.all([server.close(), bounces.close()]);
      await mailer.close();
      await gazette.close();
      await redis.quit();
    });
}
