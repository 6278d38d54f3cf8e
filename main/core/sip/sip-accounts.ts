/**
 * The user's SIP accounts: saved in settings (passwords in the secret store),
 * each one running as a SipAccount registered with its server and plugged into
 * the call switchboard, and their registration states for the renderer.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AccountId } from '../../../common/call-messages.ts';
import type { Logger } from '../../../common/logger.ts';
import { MAX_SIP_ACCOUNTS, SipAccountDetails, type SipAccountSettings, type SipAccountState } from '../../../common/sip-account-schema.ts';
import type { Settings } from '../../../common/ipc-contract.ts';
import type { CallSwitchboard } from '../calls/call-switchboard.ts';
import type { SecretStore } from '../secret-store.ts';
import type { SettingsStore } from '../settings-store.ts';
import { SipAccount, type SipAccountOptions } from './sip-account.ts';
import { english, type Translate } from '../../../common/i18n/index.ts';

export const sipPasswordSecret = (id: AccountId) => `sip-password ${id}`;

export interface SipAccountsOptions {
  settings: SettingsStore;
  secrets: SecretStore;
  /** Saves a secret, telling the user when the store is unavailable or weak. */
  storeSecret(name: string, value: string): Promise<void>;
  switchboard: CallSwitchboard;
  onStates(states: SipAccountState[]): void;
  log: Logger;
  ca?: string | Buffer;
  /** Shorter timings for tests. */
  accountOptions?: Pick<SipAccountOptions, 'registerExpiresSeconds' | 'reconnectBackoff'>;
  /** The words in the app's language. */
  translate?: SipAccountOptions['translate'];
}

export class SipAccounts {
  private readonly running = new Map<AccountId, SipAccount>();
  private readonly states = new Map<AccountId, SipAccountState>();

  constructor(private readonly options: SipAccountsOptions) {}

  /** Starts registering every enabled account in the settings; their states follow as events. */
  start(): void {
    for (const account of this.options.settings.get().sipAccounts) void this.run(account);
  }

  list(): SipAccountState[] {
    return this.options.settings.get().sipAccounts.map((account) => this.states.get(account.id) ?? offState(account.id));
  }

  /** Adds or changes an account (validated before anything changes), then registers it anew. */
  async save(input: SipAccountDetails): Promise<Settings> {
    const details = SipAccountDetails.parse(input);
    const { settings, secrets } = this.options;
    const accounts = settings.get().sipAccounts;
    const existing = details.id ? accounts.find((a) => a.id === details.id) : undefined;
    const t = this.t();
    if (details.id && !existing) throw new Error(t('There is no SIP account {{id}}', { id: details.id }));
    if (!existing && accounts.length >= MAX_SIP_ACCOUNTS) throw new Error(t('At most {{count}} SIP accounts', { count: MAX_SIP_ACCOUNTS }));
    const id = existing?.id ?? newAccountId();
    const secret = sipPasswordSecret(id);
    if (typeof details.password === 'string') await this.options.storeSecret(secret, details.password);
    else if (details.password === null) await secrets.delete(secret);
    const account: SipAccountSettings = {
      id,
      address: details.address,
      authUser: details.authUser ?? null,
      websocketUrl: details.websocketUrl,
      outboundProxy: details.outboundProxy ?? null,
      displayName: details.displayName ?? null,
      keys: details.keys ?? existing?.keys ?? 'rfc4733',
      enabled: details.enabled ?? existing?.enabled ?? true,
      hasPassword: (await secrets.get(secret)) !== null,
    };
    const next = existing ? accounts.map((a) => (a.id === id ? account : a)) : [...accounts, account];
    const updated = await settings.update({ sipAccounts: next });
    await this.stopAccount(id);
    await this.run(account);
    return updated;
  }

  /** The user's language for what reaches a form; English where none was given (tests, tools). */
  private t(): Translate {
    return this.options.translate?.() ?? english;
  }

  async remove(id: AccountId): Promise<Settings> {
    const accounts = this.options.settings.get().sipAccounts;
    if (!accounts.some((a) => a.id === id)) throw new Error(this.t()('There is no SIP account {{id}}', { id }));
    await this.stopAccount(id);
    const updated = await this.options.settings.update({ sipAccounts: accounts.filter((a) => a.id !== id) });
    await this.options.secrets.delete(sipPasswordSecret(id));
    this.states.delete(id);
    this.publish();
    return updated;
  }

  /** The network came back or the computer woke up: accounts that are down try again now. */
  retryNow(): void {
    for (const account of this.running.values()) account.retryNow();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.stopAccount(id)));
  }

  private async run(settings: SipAccountSettings): Promise<void> {
    if (!settings.enabled) {
      this.states.set(settings.id, offState(settings.id));
      this.publish();
      return;
    }
    const { switchboard, log } = this.options;
    let account: SipAccount;
    try {
      const password = settings.hasPassword ? await this.options.secrets.get(sipPasswordSecret(settings.id)) : null;
      account = new SipAccount(
        { ...settings, password },
        {
          sink: switchboard.sinkFor(() => account),
          onState: (state) => {
            if (this.running.get(settings.id) !== account) return;
            this.states.set(state.id, state);
            this.publish();
          },
          newCallId: () => `sip-${randomUUID()}`,
          log: log.child({ sipAccount: settings.id }),
          ca: this.options.ca,
          translate: this.options.translate,
          ...this.options.accountOptions,
        },
      );
    } catch (error) {
      this.states.set(settings.id, { id: settings.id, status: 'failed', message: error instanceof Error ? error.message : String(error) });
      this.publish();
      return;
    }
    this.running.set(settings.id, account);
    switchboard.add(account);
    // Registering takes a round trip or a timeout; the state events tell how it went.
    void account.start();
  }

  private async stopAccount(id: AccountId): Promise<void> {
    const account = this.running.get(id);
    if (!account) return;
    this.running.delete(id);
    await this.options.switchboard.remove(id);
    this.states.set(id, offState(id));
    this.publish();
  }

  private publish(): void {
    this.options.onStates(this.list());
  }
}

function offState(id: AccountId): SipAccountState {
  return { id, status: 'off', message: null };
}

function newAccountId(): AccountId {
  return `sip-${randomBytes(6).toString('hex')}`;
}
