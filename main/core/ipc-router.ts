/**
 * The one place where IPC from the renderer is checked before it reaches the core.
 *
 * Every call must come from the app's own page, in its main frame (a subframe
 * or a page we navigated to by mistake gets nothing), name a method of the
 * contract, and carry arguments that match that method's schema. The handler's
 * result is checked too, so a core bug cannot hand the renderer something the
 * contract does not promise. Electron-free, so it is tested in plain Node.
 */
import type { z } from 'zod';
import {
  eventNames,
  ipcContract,
  isEventName,
  isMethodName,
  methodNames,
  type EventName,
  type EventPayload,
  type IpcContract,
  type MethodName,
  type MethodResult,
} from '../../common/ipc-contract.ts';
import type { Logger } from '../../common/logger.ts';

export type IpcHandlers = {
  [M in MethodName]: (
    ...args: z.output<IpcContract['methods'][M]['args']>
  ) => Promise<MethodResult<M>> | MethodResult<M>;
};

/** Who sent a call: the URL of the sending frame and whether it is the top frame. */
export interface IpcSender {
  url: string;
  isMainFrame: boolean;
}

export interface IpcRouterOptions {
  handlers: IpcHandlers;
  isTrustedSender: (sender: IpcSender) => boolean;
  log: Logger;
}

export interface IpcRouter {
  /** Resolves with the validated result; rejects with a clear Error otherwise. */
  invoke(sender: IpcSender, method: string, args: unknown[]): Promise<unknown>;
}

/** "args[0].target: Invalid input" — paths written the way the caller wrote the call. */
function describeIssues(error: z.ZodError, root: string): string {
  const where = (path: readonly PropertyKey[]) =>
    root + path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
  return error.issues.map((issue) => `${where(issue.path)}: ${issue.message}`).join('; ');
}

export function createIpcRouter(options: IpcRouterOptions): IpcRouter {
  const { handlers, isTrustedSender, log } = options;

  function reject(message: string, details: Record<string, unknown>): never {
    log.warn(details, message);
    throw new Error(message);
  }

  return {
    async invoke(sender, method, args) {
      if (!isMethodName(method)) {
        reject(`Unknown IPC method "${String(method)}"; known: ${methodNames.join(', ')}`, { method, sender });
      }
      if (!isTrustedSender(sender)) {
        reject(
          `IPC method "${method}" refused: the sender (${sender.url || 'unknown URL'}, ${sender.isMainFrame ? 'main frame' : 'subframe'}) is not the app page`,
          { method, sender },
        );
      }
      const spec = ipcContract.methods[method];
      const parsedArgs = spec.args.safeParse(args);
      if (!parsedArgs.success) {
        reject(`IPC method "${method}" called with invalid arguments: ${describeIssues(parsedArgs.error, 'args')}`, {
          method,
          sender,
        });
      }

      // The contract ties each method's args to its handler; TypeScript cannot
      // follow that through a runtime-chosen key, hence the one widening here.
      const handler = handlers[method] as (...a: unknown[]) => unknown;
      const result = await handler(...(parsedArgs.data as unknown[]));

      const parsedResult = spec.result.safeParse(result);
      if (!parsedResult.success) {
        log.error({ method, issues: parsedResult.error.issues }, 'IPC handler returned a result outside the contract');
        throw new Error(
          `IPC method "${method}" produced an invalid result: ${describeIssues(parsedResult.error, 'result')}`,
        );
      }
      return parsedResult.data;
    },
  };
}

/** Checks an event main is about to push; returns the parsed payload or throws. */
export function validateEvent<E extends EventName>(event: E, payload: unknown): EventPayload<E> {
  if (!isEventName(event)) {
    throw new Error(`Unknown IPC event "${String(event)}"; known: ${eventNames.join(', ')}`);
  }
  const parsed = ipcContract.events[event].safeParse(payload);
  if (!parsed.success) {
    throw new Error(`IPC event "${event}" has an invalid payload: ${describeIssues(parsed.error, 'payload')}`);
  }
  return parsed.data as EventPayload<E>;
}

/**
 * Whether `url` shows the same document as `pageUrl`: same scheme, host and
 * path; query and hash may differ (the page may keep state in them).
 * Compared piecewise because `URL.origin` is the opaque "null" for file: URLs
 * and, in Node, for the app:// scheme (Chromium knows it as standard; Node does not).
 */
export function isSamePage(pageUrl: string, url: string): boolean {
  if (!URL.canParse(pageUrl) || !URL.canParse(url)) return false;
  const page = new URL(pageUrl);
  const candidate = new URL(url);
  return (
    candidate.protocol === page.protocol &&
    candidate.host === page.host &&
    candidate.pathname === page.pathname
  );
}

/** The trust rule for IPC: the app's own page, in the main frame only. */
export function isAppPage(pageUrl: string): (sender: IpcSender) => boolean {
  return (sender) => sender.isMainFrame && isSamePage(pageUrl, sender.url);
}
