import type { ServiceContext } from './context';
import type { DemoServer } from './server';

/**
 * SIGTERM/SIGINT: stop accepting, let in-flight requests finish, exit 0. After drainTimeoutMs the
 * remaining connections are cut and it still exits 0: the process did stop on request. The
 * hangOnStop fault ignores the signal, so only SIGKILL ends the process, as a stuck service would.
 */
export function installShutdown(ctx: ServiceContext, demo: DemoServer, drainTimeoutMs: number): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (ctx.faults.current.hangOnStop) {
      ctx.log.warn({ signal, fault: 'hangOnStop' }, 'injected fault: ignoring signal');
      return;
    }
    if (stopping) return;
    stopping = true;
    ctx.draining = true;
    ctx.faults.stop();
    ctx.log.info({ signal, inFlight: demo.inFlight() }, 'draining');
    const finish = (reason: string): void => {
      ctx.log.info({ reason }, 'stopped');
      process.exit(0);
    };
    demo.server.close(() => finish('drained'));
    demo.server.closeIdleConnections();
    // Connections that were busy become idle once their response is written; close them then.
    const poll = setInterval(() => {
      if (demo.inFlight() === 0) demo.server.closeIdleConnections();
    }, 20);
    poll.unref();
    setTimeout(() => {
      demo.server.closeAllConnections();
      finish('drain timeout');
    }, drainTimeoutMs).unref();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
