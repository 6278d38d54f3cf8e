/**
 * A recording stand-in for the `electron` module, for loading the built main
 * bundle and preload in plain Node (no Electron binary can be downloaded on
 * the build machines).
 *
 * It implements only what the app uses, behaves like Electron where the app
 * depends on it (a new BrowserWindow announces its web contents through
 * app 'web-contents-created'; quitting emits a preventable 'will-quit'), and
 * records every call so tests can assert on window options, loaded files, IPC
 * channels, permission handlers and the order things happened in.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';

export interface RecordedCall {
  api: string;
  args: unknown[];
}

/** Electron's preventable event object, reduced to what handlers use. */
export class StandInEvent<Details extends object = object> {
  defaultPrevented = false;
  constructor(details?: Details) {
    Object.assign(this, details);
  }
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export interface StandInFrame {
  url: string;
}

type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };

export class StandInWebContents extends EventEmitter {
  readonly mainFrame: StandInFrame = { url: '' };
  windowOpenHandler: WindowOpenHandler | null = null;
  readonly sent: Array<{ channel: string; payload: unknown }> = [];

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, payload: args[0] });
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  /** Emits `name` the way Electron does for will-navigate & co.; returns whether a handler prevented it. */
  emitPreventable(name: string, details: object = {}): boolean {
    const event = new StandInEvent(details);
    this.emit(name, event, (details as { url?: string }).url);
    return event.defaultPrevented;
  }
}

export type PermissionRequestHandler = (
  webContents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl: string; isMainFrame: boolean },
) => void;
export type PermissionCheckHandler = (
  webContents: unknown,
  permission: string,
  requestingOrigin: string,
  details: { requestingUrl?: string; isMainFrame: boolean },
) => boolean;

export class StandInSession {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  devicePermissionHandler: ((details: unknown) => boolean) | null = null;

  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: ((details: unknown) => boolean) | null): void {
    this.devicePermissionHandler = handler;
  }

  /** Asks the request handler as Chromium would and resolves with its answer. */
  request(permission: string, requestingUrl: string, isMainFrame = true): Promise<boolean> {
    const handler = this.permissionRequestHandler;
    if (!handler) throw new Error('No permission request handler was set');
    return new Promise((resolve) => handler({}, permission, resolve, { requestingUrl, isMainFrame }));
  }

  check(permission: string, requestingUrl: string | undefined, isMainFrame = true): boolean {
    const handler = this.permissionCheckHandler;
    if (!handler) throw new Error('No permission check handler was set');
    const origin = requestingUrl ? new URL(requestingUrl).origin : '';
    return handler(null, permission, origin, { requestingUrl, isMainFrame });
  }
}

/**
 * What utilityProcess.fork returns, with no process behind it: the test plays
 * the child (spawn, messages, exit). Like a well-behaved IVR worker, it exits
 * when told `{ type: 'stop' }`.
 */
export class StandInUtilityProcess extends EventEmitter {
  pid: number | undefined = undefined;
  /** What the app posted to the child, in order. */
  readonly posted: unknown[] = [];
  killed = false;
  exited = false;

  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: Record<string, unknown>,
  ) {
    super();
  }
  postMessage(message: unknown): void {
    if (this.exited) throw new Error('stand-in: postMessage after exit');
    this.posted.push(message);
    if ((message as { type?: unknown } | null)?.type === 'stop') this.exit(0);
  }
  kill(): boolean {
    this.killed = true;
    this.exit(0);
    return true;
  }
  /** The child has started, with this pid. */
  spawn(pid: number): void {
    this.pid = pid;
    this.emit('spawn');
  }
  /** The child posts a message to the app (process.parentPort.postMessage). */
  sendFromChild(message: unknown): void {
    this.emit('message', message);
  }
  exit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    // Like Electron: asynchronously, and pid is undefined once 'exit' was emitted.
    setImmediate(() => {
      this.emit('exit', code);
      this.pid = undefined;
    });
  }
}

export type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

/** The event Electron hands an ipcMain.handle handler, reduced to what the app reads. */
export interface StandInInvokeEvent {
  sender: { mainFrame: StandInFrame };
  senderFrame: StandInFrame | null;
}

/** The renderer half: what the preload uses. */
export class StandInIpcRenderer extends EventEmitter {
  readonly invocations: Array<{ channel: string; args: unknown[] }> = [];
  /** What invoke resolves with, per channel. */
  readonly replies = new Map<string, unknown>();

  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push({ channel, args });
    return this.replies.get(channel);
  }
  /** Delivers a message from main as Electron does: an event object first, then the payload. */
  emitFromMain(channel: string, payload: unknown): void {
    this.emit(channel, { sender: this, senderId: 0 }, payload);
  }
}

export type StorageBackend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

/**
 * Electron's safeStorage, really encrypting (AES-256-GCM with a key that
 * lives only in this object, like a keyring's), so a test can prove that
 * what reaches the disk is not the secret. Like Electron, it throws when
 * encryption is not available, and the recorded calls never hold a secret.
 */
export class StandInSafeStorage {
  encryptionAvailable = true;
  backend: StorageBackend = 'gnome_libsecret';
  private readonly key = randomBytes(32);

  constructor(private readonly record: (api: string, args: unknown[]) => void) {}

  isEncryptionAvailable(): boolean {
    this.record('safeStorage.isEncryptionAvailable', []);
    return this.encryptionAvailable;
  }
  getSelectedStorageBackend(): StorageBackend {
    this.record('safeStorage.getSelectedStorageBackend', []);
    return this.backend;
  }
  encryptString(plainText: string): Buffer {
    this.record('safeStorage.encryptString', []);
    if (!this.encryptionAvailable) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from('v10'), iv, cipher.getAuthTag(), body]);
  }
  decryptString(encrypted: Buffer): string {
    this.record('safeStorage.decryptString', []);
    if (!this.encryptionAvailable) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString. Decryption is not available.');
    if (encrypted.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    const decipher = createDecipheriv('aes-256-gcm', this.key, encrypted.subarray(3, 15));
    decipher.setAuthTag(encrypted.subarray(15, 31));
    return Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]).toString('utf8');
  }
}

export interface StandInOptions {
  /** What app.getPath returns, by name (appData, userData, …). */
  paths?: Record<string, string>;
  /** What app.requestSingleInstanceLock returns; false emulates a second launch. */
  singleInstanceLock?: boolean;
  /** safeStorage.isEncryptionAvailable() (default true). */
  encryptionAvailable?: boolean;
  /** safeStorage.getSelectedStorageBackend() (default 'gnome_libsecret'). */
  storageBackend?: StorageBackend;
  /** app.isPackaged: true for an installed app (default false, like `npm start`). */
  packaged?: boolean;
}

/**
 * One dialog.showMessageBox the app opened. It stays open, as for a user who
 * has not decided yet, until the test presses a button with `answer(index)`.
 */
export interface StandInMessageBox {
  parent: unknown;
  options: { type?: string; message: string; detail?: string; buttons?: string[]; defaultId?: number; cancelId?: number };
  answer(response: number): void;
}

export function createElectronStandIn(options: StandInOptions = {}) {
  const calls: RecordedCall[] = [];
  const record = (api: string, args: unknown[]) => calls.push({ api, args });
  const paths = new Map(Object.entries(options.paths ?? {}));

  let becomeReady!: () => void;
  const readyPromise = new Promise<void>((resolve) => {
    becomeReady = resolve;
  });
  let ready = false;
  let quitFinished!: () => void;
  const quitPromise = new Promise<void>((resolve) => {
    quitFinished = resolve;
  });

  class StandInApp extends EventEmitter {
    exitCode: number | null = null;
    quitCompleted = false;
    readonly isPackaged = options.packaged ?? false;

    getVersion(): string {
      return '0.1.0';
    }

    getPath(name: string): string {
      record('app.getPath', [name]);
      const value = paths.get(name);
      if (value === undefined) throw new Error(`stand-in: no path "${name}"`);
      return value;
    }
    setPath(name: string, value: string): void {
      record('app.setPath', [name, value]);
      paths.set(name, value);
    }
    getName(): string {
      return 'Softphone';
    }
    /** The system's language, as Electron reports it: English, as the tests expect. */
    getLocale(): string {
      return 'en-US';
    }
    /** Schemes the app asked the OS to hand it, with the arguments given. */
    readonly protocolClients = new Map<string, unknown[]>();
    setAsDefaultProtocolClient(scheme: string, ...args: unknown[]): boolean {
      record('app.setAsDefaultProtocolClient', [scheme, ...args]);
      this.protocolClients.set(scheme, args);
      return true;
    }
    badgeCount = 0;
    loginItem: Record<string, unknown> | null = null;
    setBadgeCount(count: number): boolean {
      this.badgeCount = count;
      return true;
    }
    setLoginItemSettings(settings: Record<string, unknown>): void {
      record('app.setLoginItemSettings', [settings]);
      this.loginItem = settings;
    }
    requestSingleInstanceLock(): boolean {
      record('app.requestSingleInstanceLock', []);
      return options.singleInstanceLock ?? true;
    }
    whenReady(): Promise<void> {
      record('app.whenReady', []);
      return readyPromise;
    }
    isReady(): boolean {
      return ready;
    }
    /** Like Electron: before-quit, then a preventable will-quit; only then is the app gone. */
    quit(): void {
      record('app.quit', []);
      this.emit('before-quit', new StandInEvent());
      const willQuit = new StandInEvent();
      this.emit('will-quit', willQuit);
      if (willQuit.defaultPrevented) return;
      this.quitCompleted = true;
      quitFinished();
    }
    exit(code = 0): void {
      record('app.exit', [code]);
      this.exitCode = code;
      quitFinished();
    }
  }
  const app = new StandInApp();

  const windows: StandInBrowserWindow[] = [];
  class StandInBrowserWindow extends EventEmitter {
    readonly webContents = new StandInWebContents();
    readonly loadedFiles: string[] = [];
    readonly loadedUrls: string[] = [];
    shown = false;
    focused = false;
    minimized = false;
    destroyed = false;

    constructor(readonly options: Record<string, unknown>) {
      super();
      record('new BrowserWindow', [options]);
      windows.push(this);
      // Electron announces every new web contents before the app can use it.
      app.emit('web-contents-created', new StandInEvent(), this.webContents);
    }
    static getAllWindows(): StandInBrowserWindow[] {
      return windows.filter((w) => !w.destroyed);
    }
    async loadFile(filePath: string): Promise<void> {
      record('BrowserWindow.loadFile', [filePath]);
      this.loadedFiles.push(filePath);
    }
    async loadURL(url: string): Promise<void> {
      record('BrowserWindow.loadURL', [url]);
      this.loadedUrls.push(url);
    }
    title = '';
    flashing = false;
    show(): void {
      this.shown = true;
      this.emit('show');
    }
    hide(): void {
      this.shown = false;
      this.emit('hide');
    }
    focus(): void {
      this.focused = true;
      this.emit('focus');
    }
    blur(): void {
      this.focused = false;
      this.emit('blur');
    }
    minimize(): void {
      this.minimized = true;
      this.emit('minimize');
    }
    isMinimized(): boolean {
      return this.minimized;
    }
    isVisible(): boolean {
      return this.shown;
    }
    isFocused(): boolean {
      return this.focused;
    }
    restore(): void {
      this.minimized = false;
      this.emit('restore');
    }
    setTitle(title: string): void {
      this.title = title;
    }
    /** The close button: a preventable 'close', then 'closed' and, for the last window, window-all-closed. */
    close(): void {
      const event = new StandInEvent();
      this.emit('close', event);
      if (event.defaultPrevented) return;
      this.destroyed = true;
      this.emit('closed');
      if (StandInBrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed');
    }
    flashFrame(flag: boolean): void {
      this.flashing = flag;
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
  }

  /** Electron's Tray: what it shows and its menu (as the template Menu.buildFromTemplate got). */
  const trays: StandInTray[] = [];
  class StandInTray extends EventEmitter {
    tooltip = '';
    menu: Array<Record<string, unknown>> = [];
    constructor(readonly image: unknown) {
      super();
      record('new Tray', []);
      trays.push(this);
    }
    setToolTip(text: string): void {
      this.tooltip = text;
    }
    setContextMenu(menu: Array<Record<string, unknown>>): void {
      this.menu = menu;
    }
    /** What a click on the labelled item does. */
    click(label: string): void {
      const item = this.menu.find((i) => i.label === label);
      if (!item) throw new Error(`No tray menu item "${label}"`);
      (item.click as () => void)();
    }
  }
  const Menu = { buildFromTemplate: (template: Array<Record<string, unknown>>) => template };
  const nativeImage = { createFromDataURL: (url: string) => ({ dataUrl: url }) };

  /** Electron's Notification, recording what was shown and closed; tests click its buttons with `emit('action', …)`. */
  const notifications: StandInNotification[] = [];
  class StandInNotification extends EventEmitter {
    shown = false;
    closed = false;
    constructor(readonly options: { title: string; body: string; actions?: Array<{ type: string; text: string }> }) {
      super();
      record('new Notification', [options]);
      notifications.push(this);
    }
    static isSupported(): boolean {
      return true;
    }
    show(): void {
      this.shown = true;
    }
    close(): void {
      this.closed = true;
    }
  }

  const handlers = new Map<string, InvokeHandler>();
  const ipcMain = {
    handle(channel: string, handler: InvokeHandler): void {
      record('ipcMain.handle', [channel]);
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, handler);
    },
    removeHandler(channel: string): void {
      handlers.delete(channel);
    },
    on(channel: string): void {
      record('ipcMain.on', [channel]);
    },
  };

  const defaultSession = new StandInSession();
  const errorBoxes: Array<{ title: string; content: string }> = [];
  const messageBoxes: StandInMessageBox[] = [];

  const utilityProcesses: StandInUtilityProcess[] = [];
  const utilityProcess = {
    fork(modulePath: string, args: string[] = [], forkOptions: Record<string, unknown> = {}): StandInUtilityProcess {
      record('utilityProcess.fork', [modulePath, args, forkOptions]);
      if (!ready) throw new Error('utilityProcess.fork can only be called after the ready event');
      const child = new StandInUtilityProcess(modulePath, args, forkOptions);
      utilityProcesses.push(child);
      return child;
    },
  };

  /** Like Electron's protocol module: privileged schemes only before ready, handlers only after. */
  const privilegedSchemes: Array<{ scheme: string; privileges?: Record<string, boolean> }> = [];
  const protocolHandlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  const protocol = {
    registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges?: Record<string, boolean> }>): void {
      record('protocol.registerSchemesAsPrivileged', [schemes]);
      if (ready) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
      privilegedSchemes.push(...schemes);
    },
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
      record('protocol.handle', [scheme]);
      if (!ready) throw new Error('protocol.handle can only be used after the ready event');
      if (protocolHandlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
      protocolHandlers.set(scheme, handler);
    },
    unhandle(scheme: string): void {
      protocolHandlers.delete(scheme);
    },
    isProtocolHandled(scheme: string): boolean {
      return protocolHandlers.has(scheme);
    },
  };

  const exposedInMainWorld: Array<{ key: string; api: unknown }> = [];
  const ipcRenderer = new StandInIpcRenderer();
  const safeStorage = new StandInSafeStorage(record);
  safeStorage.encryptionAvailable = options.encryptionAvailable ?? true;
  safeStorage.backend = options.storageBackend ?? 'gnome_libsecret';

  const electronModule = {
    app,
    contextBridge: {
      exposeInMainWorld(key: string, api: unknown): void {
        record('contextBridge.exposeInMainWorld', [key]);
        exposedInMainWorld.push({ key, api });
      },
    },
    ipcRenderer,
    BrowserWindow: StandInBrowserWindow,
    ipcMain,
    safeStorage,
    session: { defaultSession },
    protocol,
    utilityProcess,
    /** Tests emit 'resume' and 'suspend' on it, as the OS would. */
    powerMonitor: new EventEmitter(),
    Notification: StandInNotification,
    Tray: StandInTray,
    Menu,
    nativeImage,
    dialog: {
      showErrorBox(title: string, content: string): void {
        record('dialog.showErrorBox', [title, content]);
        errorBoxes.push({ title, content });
      },
      /** Like Electron: (options) or (parent window, options); resolves with the button pressed. */
      showMessageBox(...args: unknown[]): Promise<{ response: number; checkboxChecked: boolean }> {
        const [parent, boxOptions] = args.length > 1 ? args : [null, args[0]];
        record('dialog.showMessageBox', [boxOptions]);
        return new Promise((resolve) => {
          messageBoxes.push({ parent, options: boxOptions as StandInMessageBox['options'], answer: (response) => resolve({ response, checkboxChecked: false }) });
        });
      },
    },
  };

  return {
    /** What `require('electron')` returns. */
    electronModule,
    app,
    calls,
    windows,
    ipcHandlers: handlers,
    defaultSession,
    safeStorage,
    errorBoxes,
    /** Every dialog.showMessageBox, in order, each waiting for its answer. */
    messageBoxes,
    notifications,
    trays,
    exposedInMainWorld,
    ipcRenderer,
    /** Every utilityProcess.fork, in order. */
    utilityProcesses,
    /** What protocol.registerSchemesAsPrivileged was given. */
    privilegedSchemes,
    /** Asks the protocol.handle handler of the URL's scheme, as Chromium does for a request from the page. */
    async fetch(url: string, init?: RequestInit): Promise<Response> {
      const handler = protocolHandlers.get(new URL(url).protocol.replace(/:$/, ''));
      if (!handler) throw new Error(`No protocol handler for ${url}`);
      return handler(new Request(url, init));
    },
    /** Fires app 'ready'. */
    becomeReady(): void {
      ready = true;
      app.emit('ready', new StandInEvent());
      becomeReady();
    },
    /** Resolves once the app has really quit or exited. */
    whenQuit: () => quitPromise,
    /** Calls a registered ipcMain.handle handler as Electron would for a renderer invoke. */
    async invoke(channel: string, event: StandInInvokeEvent, ...args: unknown[]): Promise<unknown> {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return handler(event, ...args);
    },
  };
}

export type ElectronStandIn = ReturnType<typeof createElectronStandIn>;
