/**
 * What main told us, kept current from its events: connection, contacts and
 * who is online, settings, notices and the SIP accounts' registration states.
 * Components read it; only main changes it.
 */
import { mergeDirectory, type Directory } from '../../common/directory.ts';
import { lastResult } from './last-result.ts';
import type { ConnectionState, DialRequest, EventPayload, Notice, Settings, SoftphoneApi } from '../../common/ipc-contract.ts';
import type { HistorySummary } from '../../common/history-schema.ts';
import type { SipAccountState } from '../../common/sip-account-schema.ts';

export class AppStore extends EventTarget {
  connection!: ConnectionState;
  /** Every saved contact, sorted by name; replaced (never changed in place) when one changes. */
  contacts: EventPayload<'contacts'> = [];
  /** Who is online on the app's server. */
  online: string[] = [];
  settings!: Settings;
  notices: Notice[] = [];
  sipAccounts: SipAccountState[] = [];
  history: HistorySummary = { recent: [], total: 0, unseenMissed: 0 };
  /** A tel:, callto: or sip: link waiting for the user to confirm its call. */
  dialRequest: DialRequest | null = null;
  private readonly ready: Promise<void>;

  private constructor(readonly api: SoftphoneApi) {
    super();
    // Subscribe before asking for the snapshot; anything that arrives before
    // the snapshot is older than it and is dropped.
    let ready = false;
    const when = <T,>(apply: (payload: T) => void) => (payload: T) => ready && apply(payload);
    api.on('connection', when((connection) => this.set({ connection })));
    api.on('contacts', when((contacts) => this.set({ contacts })));
    api.on('presence', when(({ online }) => this.set({ online })));
    api.on('settings', when((settings) => this.set({ settings })));
    api.on('sipAccounts', when((sipAccounts) => this.set({ sipAccounts })));
    api.on('history', when((history) => this.set({ history })));
    api.on('dialRequest', when((dialRequest) => this.set({ dialRequest })));
    api.on('notice', when((notice) => this.set({ notices: [...this.notices.filter((n) => n.id !== notice.id), notice] })));
    // Marks for bench/contacts.bench.ts: how much of the first render is waiting for main.
    performance.mark('softphone:snapshot-asked');
    this.ready = api.getSnapshot().then((snapshot) => {
      performance.mark('softphone:snapshot-received');
      ({ connection: this.connection, contacts: this.contacts, presence: { online: this.online }, settings: this.settings, notices: this.notices, sipAccounts: this.sipAccounts, history: this.history, dialRequest: this.dialRequest } = snapshot);
      ready = true;
    });
  }

  static async load(api: SoftphoneApi): Promise<AppStore> {
    const store = new AppStore(api);
    await store.ready;
    return store;
  }

  async dismissNotice(id: string): Promise<void> {
    this.set({ notices: this.notices.filter((n) => n.id !== id) });
    await this.api.dismissNotice(id);
  }

  private readonly merge = lastResult(mergeDirectory);

  /**
   * The contact list's content: contacts with presence, and everyone else
   * online. Merged again only when the contacts, who is online, or our own
   * name changed, so components may read it on every render.
   */
  get directory(): Directory {
    return this.merge(this.contacts, this.online, this.connection.signedInAs);
  }

  /** The link's call was confirmed or cancelled: it is not asked again, even after a reload. */
  async settleDialRequest(): Promise<void> {
    this.set({ dialRequest: null });
    await this.api.dialRequestSeen();
  }

  /** A SIP account's registration state (off when main has not said). */
  sipAccountState(id: string): SipAccountState {
    return this.sipAccounts.find((state) => state.id === id) ?? { id, status: 'off', message: null };
  }

  private set(patch: Partial<Pick<AppStore, 'connection' | 'contacts' | 'online' | 'settings' | 'notices' | 'sipAccounts' | 'history' | 'dialRequest'>>): void {
    Object.assign(this, patch);
    this.dispatchEvent(new Event('change'));
  }
}
