/**
 * The application shell: connection status, sign-in, contacts and the call.
 * It owns the services (store, call engine) and shares them by context; child
 * components report what the user did with bubbling events.
 */
import { LitElement, css, html } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { provide } from '@lit/context';
import { APP_ACCOUNT, type AccountId } from '../../common/call-messages.ts';
import type { DirectoryContact } from '../../common/directory.ts';
import type { Contact, SoftphoneApi } from '../../common/ipc-contract.ts';
import { nameKey } from '../../common/user-name.ts';
import type { DtmfSettings } from '../../common/settings-schema.ts';
import { CallEngine, type CallPhase, type CallSnapshot } from '../call/call-engine.ts';
import { KeypadService } from '../call/dtmf/keypad-service.ts';
import { CallNotices } from '../call/call-notices.ts';
import { RINGBACK, RINGTONE, TonePlayer } from '../call/tone-player.ts';
import { DeviceService, storeDevicePort } from '../devices/device-service.ts';
import { CallDeviceFollower } from '../devices/call-devices.ts';
import type { SettingsDialog } from './settings-dialog.ts';
import { AppStore } from '../state/app-store.ts';
import { rtcConfigurationOf } from '../state/account-api.ts';
import { appServicesContext, type AppServices } from '../state/app-context.ts';
import { ChangeController } from '../state/change-controller.ts';
import { controlStyles } from './shared-styles.ts';
import './connection-status.ts';
import './sign-in-form.ts';
import type { HistoryEntry } from '../../common/history-schema.ts';
import type { CallBackEvent, HistoryEntryEvent } from './call-history.ts';
import './call-history.ts';
import { HistoryPages } from '../history/history-pages.ts';
import './contacts-transfer.ts';
import { ContactSearch } from '../contacts/contact-search.ts';
import { remoteErrorText } from '../state/remote-error.ts';
import type { CallAddressEvent, CallContactEvent, ContactList } from './contact-list.ts';
import { contactForPeer } from '../state/contact-addresses.ts';
import { callerDraft, isSavedCaller, type ContactDraft } from '../call/caller-contact.ts';
import { lastResult } from '../state/last-result.ts';
import './contact-list.ts';
import './incoming-call-panel.ts';
import type { CallControlEvent } from './call-view.ts';
import './call-view.ts';
import './dtmf-keypad.ts';
import type { DialAccount, DialSuggestion } from './dial-box.ts';
import './dial-box.ts';
import type { ContactSavedEvent } from './contact-editor.ts';
import './contact-editor.ts';
import './notice-list.ts';
import './settings-dialog.ts';
import { resolveLanguage, setLanguage, t } from '../../common/i18n/index.ts';
import { LocaleController } from '../state/locale-controller.ts';

@customElement('softphone-app')
export class SoftphoneApp extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [
    controlStyles,
    css`
      :host {
        display: grid;
        grid-template-rows: auto auto 1fr;
        min-height: 100vh;
        font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
        line-height: 1.4;
        color: var(--sp-text);
        background: var(--sp-page);
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 16px;
        padding: 10px 16px;
        background: var(--sp-surface);
        border-bottom: 1px solid var(--sp-divider);
      }
      h1 {
        font-size: 1.1rem;
        margin: 0;
      }
      h2 {
        font-size: 1.15rem;
        margin: 0 0 8px;
      }
      connection-status {
        flex: 1 1 18rem;
      }
      .header-actions {
        display: flex;
        gap: 8px;
        margin-left: auto;
      }
      /* Their content is a modal <dialog> in the top layer: they must not take a row or a cell of the layout. */
      settings-dialog,
      contact-editor,
      incoming-call-panel {
        display: contents;
      }
      notice-list {
        padding: 8px 16px 0;
      }
      main {
        display: grid;
        grid-template-columns: minmax(260px, 340px) minmax(0, 1fr);
        gap: 16px;
        padding: 16px;
        align-items: start;
        /* The rows keep their own height: the free space of a tall window stays below them, not between them. */
        align-content: start;
      }
      .panel {
        background: var(--sp-surface);
        border: 1px solid var(--sp-divider);
        border-radius: 12px;
        padding: 12px 16px;
        min-width: 0;
      }
      .call-area {
        display: grid;
        gap: 16px;
      }
      /* A video call with the keypad shown: the keypad beside the picture while the window is wide enough. */
      @media (min-width: 900px) {
        .call-area.side-keypad {
          grid-template-columns: minmax(0, 1fr) minmax(14rem, 18rem);
          align-items: start;
        }
      }
      /* Narrow windows: one column, and the call (when there is one) above the contacts. */
      @media (max-width: 700px) {
        header {
          padding: 8px 12px;
        }
        main {
          grid-template-columns: minmax(0, 1fr);
          padding: 12px;
          gap: 12px;
        }
        .panel.in-call {
          order: -1;
        }
        notice-list {
          padding: 8px 12px 0;
        }
      }
      .idle {
        color: var(--sp-muted);
        margin: 0;
      }
      .tabs {
        display: flex;
        gap: 4px;
        margin-top: 12px;
        border-bottom: 1px solid var(--sp-divider);
      }
      .tabs button {
        border: none;
        border-bottom: 3px solid transparent;
        border-radius: 0;
        background: none;
      }
      .tabs button[aria-selected='true'] {
        border-bottom-color: var(--sp-focus);
        font-weight: 600;
      }
      .contact-search {
        width: 100%;
        box-sizing: border-box;
        margin-top: 8px;
      }
      .badge {
        display: inline-block;
        min-width: 1.4em;
        padding: 0 6px;
        border-radius: 999px;
        background: var(--sp-danger);
        color: var(--sp-on-fill);
        font-size: 0.8rem;
        text-align: center;
      }
      .fatal {
        padding: 24px;
        color: var(--sp-error);
      }
      .undo {
        display: flex;
        align-items: center;
        gap: 8px;
        margin: 8px 0;
        padding: 6px 8px;
        border-radius: 8px;
        background: var(--sp-info-bg);
      }
      .undo p {
        margin: 0;
        flex: 1;
      }
      .contact-error {
        color: var(--sp-error);
        margin: 8px 0 0;
      }
    `,
  ];

  @provide({ context: appServicesContext }) @state() services: AppServices | null = null;
  @state() private editingName = false;
  @state() private fatal = '';
  private readonly changes = new ChangeController(this);
  private readonly tones = new TonePlayer();
  @query('settings-dialog') private settingsDialog?: SettingsDialog;
  private keypad: KeypadService | null = null;
  private callNotices: CallNotices | null = null;
  /** The id of the saved contact being edited, 'new' for a new one. */
  @state() private editingContact: string | null = null;
  /** What a new contact starts from (the other side of a call). */
  @state() private contactDraft: ContactDraft | null = null;
  /**
   * Where a new contact's editor was opened: from a call (Add to contacts;
   * `saved` is the contact it saved), or from a history row's Add (once saved,
   * the contact is shown in the Contacts tab). Null for the list's own editor.
   */
  private editorOpenedFrom: { place: 'call'; saved: string | null } | { place: 'history' } | null = null;
  private readonly callerSavedIn = lastResult((contacts: readonly DirectoryContact[], account: string, address: string) => isSavedCaller(contacts, { account, address }));
  /** What the contact search field holds. */
  @state() private contactQuery = '';
  private readonly contactSearch = new ContactSearch();
  /** Which list the left panel shows. */
  @state() private listTab: 'contacts' | 'history' = 'contacts';
  /** The History tab's calls: main's newest and the older pages fetched as the list is scrolled. */
  private readonly historyPages = new HistoryPages();
  /** The user showed or hid the keypad in this call. */
  @state() private keypadChoice: { callId: string; shown: boolean } | null = null;
  /** The call as last seen, to tell what changed. */
  private lastCall: { id: string; phase: CallPhase } | null = null;
  /** Where the keyboard was when the call began; its label tells whether the element still means the same. */
  private returnFocus: { element: HTMLElement; label: string | null } | null = null;
  /** The contact just removed, while Undo is offered. */
  @state() private removed: Contact | null = null;
  private undoTimer: ReturnType<typeof setTimeout> | undefined;
  @query('contact-list') private contactList?: ContactList;
  /** Why the last change of contacts failed, in words. */
  @state() private contactError = '';

  connectedCallback(): void {
    super.connectedCallback();
    const api = (window as unknown as { softphone?: SoftphoneApi }).softphone;
    if (!api) {
      this.fatal = t('The softphone bridge is missing: this page must be opened by the Softphone app.');
      return;
    }
    void this.start(api);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.services?.engine.shutdown();
    this.keypad?.close();
    this.tones.stop();
  }

  /** Which ring is sounding ("ringtone", "ringback") or null; mirrored to data-tone for tests and styling. */
  get tone(): string | null {
    return this.tones.playing;
  }

  private async start(api: SoftphoneApi): Promise<void> {
    try {
      const store = await AppStore.load(api);
      const devices = this.startDevices(store);
      const engine = new CallEngine(
        { send: (command) => api.call(command) },
        {
          // Read at each call's start: TURN credentials from the server and the user's own servers change.
          rtcConfiguration: () => rtcConfigurationOf(store.connection),
          openMedia: (video) => devices.openCallMedia(video),
          openCamera: () => devices.openCamera(),
          // A name nobody has in their list and nobody is signed in with: "Nobody called … is signed in", not "… is offline".
          isKnownPeer: (account, address) =>
            account !== APP_ACCOUNT ||
            contactForPeer(store.directory.contacts, address, ['app']) !== undefined ||
            store.directory.others.some((other) => nameKey(other.name) === nameKey(address)),
        },
      );
      new CallDeviceFollower(engine, devices);
      this.callNotices = new CallNotices(engine);
      api.on('call', (event) => void engine.handleEvent(event));
      // Accept or Decline pressed on the system notification.
      api.on('callAction', ({ callId, action }) => {
        if (engine.call?.id !== callId || engine.call.phase !== 'incoming') return;
        if (action === 'accept') void engine.accept();
        else engine.decline();
      });
      engine.addEventListener('change', () => this.updateTones(engine));
      engine.addEventListener('change', () => this.followCall(engine));
      this.keypad = new KeypadService({ engine, api, settings: () => keypadSettingsFor(store, engine), feedbackOutput: () => this.tones.output() });
      this.changes.watch(store, engine, this.keypad, devices, this.callNotices);
      this.services = { store, engine, devices };
      window.addEventListener('beforeunload', () => engine.shutdown());
    } catch (error) {
      this.fatal = t('Could not start: {{reason}}', { reason: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Device lists and choices for everyone; the ringtone follows the ringer choice. */
  private startDevices(store: AppStore): DeviceService {
    const devices = new DeviceService(storeDevicePort(store));
    const followRinger = () => this.tones.setSinkId(devices.ringerSinkId);
    devices.addEventListener('change', followRinger);
    followRinger();
    devices.start().catch((error) => console.warn('Could not list media devices', error));
    return devices;
  }

  private updateTones(engine: CallEngine): void {
    const phase = engine.call?.phase;
    const silent = this.services?.store.settings.desktop.doNotDisturb === 'silent';
    if (phase === 'incoming' && !silent) this.tones.play('ringtone', RINGTONE);
    else if (phase === 'incoming') this.tones.stop();
    // Early media (a 183: the far end's own ringback or an announcement) is heard instead of ours.
    else if (phase === 'ringing' && !engine.call?.earlyMedia) this.tones.play('ringback', RINGBACK);
    else this.tones.stop();
    if (this.tones.playing) this.dataset.tone = this.tones.playing;
    else delete this.dataset.tone;
  }

  protected willUpdate(): void {
    // The app's language: the setting, or the system's (the browser's).
    const language = resolveLanguage(this.services?.store.settings.desktop.language, navigator.language);
    setLanguage(language);
    // Screen readers and spell checkers go by the page's language. Set only when it changes:
    // writing the same value still makes the browser recheck every element's :lang() style.
    if (document.documentElement.lang !== language) document.documentElement.lang = language;
  }

  render() {
    if (this.fatal) return html`<p class="fatal" role="alert">${this.fatal}</p>`;
    if (!this.services) return html`<p class="idle" role="status">${t('Starting…')}</p>`;
    const { store, engine, devices } = this.services;
    const signedIn = store.settings.displayName !== null && !this.editingName;
    return html`
      <header>
        <h1>Softphone</h1>
        <connection-status .state=${store.connection} @open-account-settings=${() => this.settingsDialog?.show('account')}></connection-status>
        <div class="header-actions">
          ${signedIn ? html`<button @click=${() => (this.editingName = true)}>${t('Change name')}</button>` : ''}
          <button aria-haspopup="dialog" @click=${() => this.settingsDialog?.show()}>${t('Settings')}</button>
        </div>
      </header>
      <notice-list .notices=${[...store.notices, ...devices.notices, ...(this.callNotices?.notices ?? [])]} @dismiss-notice=${this.dismissNotice}></notice-list>
      <settings-dialog @account-saved=${() => (this.editingName = false)}></settings-dialog>
      ${signedIn ? this.renderPhone(store, engine) : this.renderSignIn(store)}
    `;
  }

  private renderSignIn(store: AppStore) {
    return html`<main>
      <div class="panel">
        <h2>${t('Who are you?')}</h2>
        <p>${t('Your name is how others find you in their contact list.')}</p>
        <sign-in-form .name=${store.settings.displayName ?? ''} @sign-in=${this.signIn}></sign-in-form>
      </div>
    </main>`;
  }

  private renderPhone(store: AppStore, engine: CallEngine) {
    const call = engine.call;
    return html`<main @call-contact=${this.callContact} @call-address=${this.callAddress}>
      <div class="panel">
        <dial-box
          ?busy=${engine.busy}
          .accounts=${dialAccounts(store)}
          .request=${store.dialRequest}
          .suggestions=${this.suggestionsNow}
          @dial-request-settled=${() => void store.settleDialRequest()}
        ></dial-box>
        ${this.renderListTabs(store)}
        ${this.removed
          ? html`<div class="undo" role="status">
              <p>${t('{{name}} was removed from your contacts.', { name: this.removed.name })}</p>
              <button id="undo-remove" @click=${this.undoRemove}>${t('Undo')}</button>
            </div>`
          : ''}
        ${this.contactError ? html`<p class="contact-error" role="alert">${this.contactError}</p>` : ''}
        ${this.listTab === 'contacts'
          ? html`<input
                type="search"
                class="contact-search"
                aria-label=${t('Search contacts')}
                placeholder=${t('Search name, address or number')}
                .value=${this.contactQuery}
                @input=${(e: Event) => (this.contactQuery = (e.target as HTMLInputElement).value)}
              />
              ${this.contactQuery.trim() && this.matchingContacts(store).length === 0
                ? html`<p class="idle" role="status">${t('No contact matches "{{query}}".', { query: this.contactQuery.trim() })}</p>`
                : ''}
              <contact-list
              id="list-panel"
              role="tabpanel"
              aria-labelledby="tab-contacts"
              .contacts=${this.matchingContacts(store)}
              .others=${store.directory.others}
              ?busy=${engine.busy}
              ?appReady=${store.connection.status === 'connected'}
              ?sipReady=${firstReadySipAccount(store) !== null}
              @new-contact=${() => (this.editingContact = 'new')}
              @edit-contact=${(e: CustomEvent<{ id: string }>) => (this.editingContact = e.detail.id)}
              @add-online-user=${this.addOnlineUser}
              @remove-contact=${this.removeContact}
            ></contact-list>
            <contacts-transfer .api=${store.api}></contacts-transfer>`
          : html`<call-history
              id="list-panel"
              role="tabpanel"
              aria-labelledby="tab-history"
              .entries=${this.historyPages.entries(store.history)}
              ?more=${this.historyPages.hasMore(store.history)}
              ?callsDisabled=${engine.busy}
              .accountNames=${Object.fromEntries(store.settings.sipAccounts.map((a) => [a.id, accountLabel(store, a.id)]))}
              @call-back=${(e: CallBackEvent) => this.callBack(e.detail.entry, e.detail.video)}
              @add-history-contact=${(e: HistoryEntryEvent) => this.addFromHistory(e.detail.entry)}
              @delete-history-entry=${(e: HistoryEntryEvent) => this.deleteHistoryEntry(store, e.detail.entry)}
              @clear-history=${() => this.clearHistory(store)}
              @load-more-history=${() => this.loadOlderHistory(store)}
            ></call-history>`}
      </div>
      <div class="panel ${call ? 'in-call' : ''}">
        ${call?.phase === 'incoming'
          ? html`<p class="idle">${t('{{name}} is calling…', { name: call.peer })}</p>
              <incoming-call-panel
                .caller=${call.peer}
                .address=${call.address}
                .account=${accountLabel(store, call.account)}
                ?video=${call.remoteOffersVideo}
                ?canAddContact=${!this.isCallerSaved(store, call)}
                @accept-call=${() => engine.accept()}
                @decline-call=${() => engine.decline()}
                @add-caller-to-contacts=${this.addCaller}
              ></incoming-call-panel>`
          : call
            ? this.renderCall(store, call)
            : html`<h2>${t('Calls')}</h2>
                <p class="idle">${t('No call. Choose a contact to call.')}</p>`}
      </div>
      <contact-editor
        .contact=${this.editingContact === 'new' || this.editingContact === null
          ? this.editingContact
          : (store.directory.contacts.find((c) => c.id === this.editingContact) ?? null)}
        .draft=${this.contactDraft}
        @contact-saved=${this.contactSaved}
        @close-editor=${this.editorClosed}
      ></contact-editor>
    </main>`;
  }

  private readonly suggestionsNow = (): DialSuggestion[] => {
    const store = this.services?.store;
    return store ? this.suggestionsFor(store.history.recent, store.contacts, t('recent')) : [];
  };
  /** Built again only when the history, the contacts or the language change, not on every keystroke. */
  private readonly suggestionsFor = lastResult(dialSuggestions);

  /** The contacts the search field lets through, in the directory's order. */
  private matchingContacts(store: AppStore): readonly DirectoryContact[] {
    return this.contactsMatching(this.contactQuery, store.contacts, store.directory.contacts);
  }
  /** Searched once per keystroke or list change, though a render asks twice (the list, and "No contact matches"). */
  private readonly contactsMatching = lastResult((query: string, saved: AppStore['contacts'], listed: readonly DirectoryContact[]) => {
    this.contactSearch.update(saved);
    return this.contactSearch.search(query, listed);
  });

  /** Contacts | History, with the count of missed calls not seen yet on History. */
  private renderListTabs(store: AppStore) {
    const missed = store.history.unseenMissed;
    const tab = (id: 'contacts' | 'history', label: string, badge = '') =>
      html`<button
        role="tab"
        id=${`tab-${id}`}
        aria-controls="list-panel"
        aria-selected=${this.listTab === id ? 'true' : 'false'}
        tabindex=${this.listTab === id ? '0' : '-1'}
        @click=${() => this.showList(store, id)}
        @keydown=${(e: KeyboardEvent) => this.moveBetweenTabs(store, e)}
      >
        ${label}${badge ? html` <span class="badge" aria-label=${badge}>${missed}</span>` : ''}
      </button>`;
    return html`<div class="tabs" role="tablist" aria-label=${t('Lists')}>
      ${tab('contacts', t('Contacts'))}${tab('history', t('History'), missed ? t('{{count}} missed', { count: missed }) : '')}
    </div>`;
  }

  private showList(store: AppStore, tab: 'contacts' | 'history'): void {
    this.listTab = tab;
    // Looking at the history is seeing the missed calls: the badge goes.
    if (tab === 'history' && store.history.unseenMissed > 0) void store.api.markHistorySeen();
  }

  /** Arrow keys move between the tabs, as in every tab list. */
  private moveBetweenTabs(store: AppStore, event: KeyboardEvent): void {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const next = this.listTab === 'contacts' ? 'history' : 'contacts';
    this.showList(store, next);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${next}`)?.focus());
  }

  private callBack(entry: HistoryEntry, video: boolean): void {
    this.callContact(new CustomEvent('call-contact', { detail: { name: entry.address, video, account: entry.account } }));
  }

  /**
   * A call's other side becomes a contact: the editor opens with its name
   * and address (an app name, or the SIP address or number it called from or
   * was called at), as Add to contacts does during a call, so a number can get
   * a name before it is saved.
   */
  private addFromHistory(entry: HistoryEntry): void {
    const services = this.services;
    if (!services) return;
    this.contactDraft = callerDraft(services.store.settings.sipAccounts, { account: entry.account, peer: entry.displayName ?? entry.address, address: entry.address });
    this.editorOpenedFrom = { place: 'history' };
    this.editingContact = 'new';
  }

  private async deleteHistoryEntry(store: AppStore, entry: HistoryEntry): Promise<void> {
    await store.api.deleteHistoryEntry(entry.id);
    this.historyPages.removed(entry.id);
    this.requestUpdate();
  }

  private async clearHistory(store: AppStore): Promise<void> {
    await store.api.clearHistory();
    this.historyPages.cleared();
    this.requestUpdate();
  }

  private async loadOlderHistory(store: AppStore): Promise<void> {
    await this.historyPages.loadOlder(store.api, store.history);
    this.requestUpdate();
  }

  private renderCall(store: AppStore, call: CallSnapshot) {
    const keypadActive = this.keypad?.active ?? false;
    const keypadShown = keypadActive ? this.isKeypadShown(call) : null;
    const sideBySide = keypadShown === true && (call.video || call.remoteOffersVideo);
    return html`<div class="call-area ${sideBySide ? 'side-keypad' : ''}">
      <call-view
        .call=${call}
        .keypadShown=${keypadShown}
        .speakerSinkId=${this.services?.devices.speakerSinkId ?? ''}
        ?canAddContact=${!this.isCallerSaved(store, call)}
        @call-control=${this.callControl}
        @add-caller-to-contacts=${this.addCaller}
        @open-devices=${() => void this.settingsDialog?.show('devices')}
      ></call-view>
      ${keypadActive && this.keypad
        ? html`<dtmf-keypad
            ?hidden=${!keypadShown}
            .keypad=${this.keypad}
            .peer=${call.peer}
            ?extended=${store.settings.dtmf.extendedKeys}
            .sequences=${contactForPeer(store.directory.contacts, call.address)?.sequences ?? []}
          ></dtmf-keypad>`
        : ''}
    </div>`;
  }

  /**
   * Whether the keypad shows in this call, until the user says otherwise: in
   * audio calls (services such as an IVR, and the call has room for it) and
   * whenever keys are dialed after the answer; not in video calls, where
   * people look at each other and the keypad would push the picture out of
   * the window. Hidden or shown, typed and pasted keys still go to it.
   */
  private isKeypadShown(call: CallSnapshot): boolean {
    if (this.keypadChoice?.callId === call.id) return this.keypadChoice.shown;
    return !(call.video || call.remoteOffersVideo) || call.postDial !== '';
  }

  /** After every change of the call: the keyboard follows the call, and never falls to the page. */
  private followCall(engine: CallEngine): void {
    const call = engine.call;
    const before = this.lastCall;
    this.lastCall = call ? { id: call.id, phase: call.phase } : null;
    if (before?.id === call?.id && before?.phase === call?.phase) return;
    if (call && before?.id !== call.id) {
      // Where the keyboard was as the call began (unless that was the previous call's own controls), to go back to after Close.
      const active = deepActiveElement();
      if (active && active !== document.body && !this.isInCallArea(active)) this.returnFocus = { element: active, label: active.getAttribute('aria-label') };
    }
    // The render this change causes comes first (this listener may run before the one that asks for it).
    this.requestUpdate();
    void this.updateComplete.then(() => {
      const view = this.renderRoot.querySelector('call-view');
      if (!call) return this.focusAfterDismiss();
      if (call.phase === 'incoming' || !view) return; // the incoming call's dialog takes the keyboard itself
      if (call.phase === 'ended') {
        if (this.focusIsFree()) void view.focusAfterCall();
      } else if (before?.id !== call.id || before.phase === 'incoming' || this.focusIsFree()) {
        void view.focusCall();
      }
    });
  }

  /** Back to what started the call (the contact's Call button) when it is still there, else to the dial field. */
  private focusAfterDismiss(): void {
    const target = this.returnFocus;
    this.returnFocus = null;
    const element = target?.element;
    if (element?.isConnected && !(element as HTMLButtonElement).disabled && element.getAttribute('aria-label') === target?.label) {
      element.focus();
      if (deepActiveElement() === element) return;
    }
    this.renderRoot.querySelector('dial-box')?.focusInput();
  }

  /** Nothing has the keyboard, or the call's own controls (or a dialog that is gone) had it. */
  private focusIsFree(): boolean {
    const active = deepActiveElement();
    return !active || active === document.body || !active.isConnected || this.isInCallArea(active);
  }

  private isInCallArea(element: Element): boolean {
    for (let node: Node | null = element; node; node = node instanceof ShadowRoot ? node.host : node.parentNode) {
      if (node instanceof HTMLElement && ['CALL-VIEW', 'DTMF-KEYPAD', 'INCOMING-CALL-PANEL'].includes(node.tagName)) return true;
    }
    return false;
  }

  /** Device and call notices live in the renderer; the rest are main's. */
  private readonly dismissNotice = (event: CustomEvent<{ id: string }>) => {
    const services = this.services;
    const { id } = event.detail;
    if (!services || services.devices.dismissNotice(id) || this.callNotices?.dismiss(id)) return;
    void services.store.dismissNotice(id);
  };

  private readonly signIn = async (event: CustomEvent<{ name: string }>) => {
    await this.services?.store.api.signIn(event.detail.name);
    this.editingName = false;
  };

  /** A call from the contact list or the dial box; a saved contact's own post-dial keys apply unless the dial string has some. */
  private readonly callContact = (event: CallContactEvent) => {
    const services = this.services;
    if (!services) return;
    const { name, video, postDial, account = APP_ACCOUNT } = event.detail;
    if (account !== APP_ACCOUNT) {
      // SIP does not trickle: the offer goes out with its candidates.
      void services.engine.startCall(name, { video, postDial: postDial ?? '', account: account as AccountId, trickle: false });
      return;
    }
    const saved = contactForPeer(services.store.directory.contacts, name, ['app']);
    void services.engine.startCall(name, { video, postDial: postDial || saved?.postDial || '' });
  };

  /** A saved contact's address: app users through the app's server, SIP addresses and numbers through the first registered SIP account. */
  private readonly callAddress = (event: CallAddressEvent) => {
    const services = this.services;
    if (!services) return;
    const { contactId, address, video } = event.detail;
    const contact = services.store.directory.contacts.find((c) => c.id === contactId);
    const postDial = contact?.postDial ?? '';
    if (address.kind === 'app') {
      void services.engine.startCall(address.value, { video, postDial });
      return;
    }
    const account = firstReadySipAccount(services.store);
    if (!account) {
      this.contactError = t('SIP addresses and numbers can be called once a SIP account is registered (Settings → Accounts).');
      return;
    }
    // SIP does not trickle: the offer goes out with its candidates.
    void services.engine.startCall(address.value, { video, postDial, account: account as AccountId, trickle: false });
  };

  /** Adds someone from the online list as a contact with that app name; focus goes to the new row. */
  private readonly addOnlineUser = async (event: CustomEvent<{ name: string }>) => {
    const { name } = event.detail;
    await this.contactAction(async (api) => {
      const contact = await api.addContact({ name, addresses: [{ kind: 'app', value: name }] });
      this.contactList?.focusContact(contact.id);
    });
  };

  /** Whether the other side of the call is a contact, worked out again only when the contacts or the call's address change (not on every render). */
  private isCallerSaved(store: AppStore, call: CallSnapshot): boolean {
    return this.callerSavedIn(store.directory.contacts, call.account, call.address);
  }

  /** Add to contacts during a call (ringing, in it, or just ended): the editor opens with the other side's name and address. */
  private readonly addCaller = () => {
    const services = this.services;
    const call = services?.engine.call;
    if (!services || !call) return;
    this.contactDraft = callerDraft(services.store.settings.sipAccounts, call);
    this.editorOpenedFrom = { place: 'call', saved: null };
    this.editingContact = 'new';
  };

  private readonly contactSaved = async (event: ContactSavedEvent) => {
    const from = this.editorOpenedFrom;
    if (from?.place === 'call') {
      from.saved = event.detail.id;
      return;
    }
    if (from?.place === 'history' && this.services) {
      this.showList(this.services.store, 'contacts');
      await this.updateComplete;
    }
    this.contactList?.focusContact(event.detail.id);
  };

  private readonly editorClosed = () => {
    const from = this.editorOpenedFrom;
    this.editingContact = null;
    this.contactDraft = null;
    this.editorOpenedFrom = null;
    if (from?.place === 'call') void this.focusAfterAddingCaller(from.saved);
  };

  /**
   * Where the keyboard goes when the editor opened from a call closes. While
   * the call lasts, back to it: it is what the user is in the middle of, a
   * ringing call must stay one Enter from Accept, and in a call typed digits
   * go to the keypad; the new contact in the list beside it can wait. Once
   * the call is over, to the contact saved, as after any Add; cancelled, to
   * the ended call's controls.
   */
  private async focusAfterAddingCaller(saved: string | null): Promise<void> {
    const services = this.services;
    if (!services) return;
    await this.updateComplete;
    const call = services.engine.call;
    if (call?.phase === 'incoming') return this.renderRoot.querySelector('incoming-call-panel')?.focusAccept();
    const view = this.renderRoot.querySelector('call-view');
    if (call && call.phase !== 'ended') return void view?.focusCall();
    if (saved) {
      this.showList(services.store, 'contacts');
      await this.updateComplete;
      this.contactList?.focusContact(saved);
    } else if (!deepActiveElement()?.isConnected || deepActiveElement() === document.body) {
      // The editor gives the keyboard back to what opened it; that may be gone (a ringing panel whose call was missed).
      if (view) void view.focusAfterCall();
      else this.renderRoot.querySelector('dial-box')?.focusInput();
    }
  }

  /** Removes a contact and offers Undo for a moment; focus goes to Undo. */
  private readonly removeContact = async (event: CustomEvent<{ id: string }>) => {
    await this.contactAction(async (api) => {
      const removed = await api.removeContact(event.detail.id);
      clearTimeout(this.undoTimer);
      this.removed = removed;
      this.undoTimer = setTimeout(() => (this.removed = null), UNDO_MS);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLButtonElement>('#undo-remove')?.focus();
    });
  };

  private readonly undoRemove = async () => {
    const removed = this.removed;
    if (!removed) return;
    clearTimeout(this.undoTimer);
    await this.contactAction(async (api) => {
      const restored = await api.restoreContact(removed);
      this.removed = null;
      this.contactList?.focusContact(restored.id);
    });
  };

  /** Runs a change of contacts; what went wrong is said next to the list. */
  private async contactAction(action: (api: SoftphoneApi) => Promise<void>): Promise<void> {
    const api = this.services?.store.api;
    if (!api) return;
    this.contactError = '';
    try {
      await action(api);
    } catch (error) {
      this.contactError = remoteErrorText(error);
    }
  }

  private readonly callControl = (event: CallControlEvent) => {
    const engine = this.services?.engine;
    if (!engine) return;
    switch (event.detail.action) {
      case 'hang-up':
        return engine.hangUp();
      case 'mute':
        return engine.setMuted(true);
      case 'unmute':
        return engine.setMuted(false);
      case 'camera-off':
        return void engine.setCameraOff(true);
      case 'camera-on':
        return void engine.setCameraOff(false);
      case 'dismiss':
        return engine.dismiss();
      case 'show-keypad':
      case 'hide-keypad':
        if (engine.call) this.keypadChoice = { callId: engine.call.id, shown: event.detail.action === 'show-keypad' };
        return;
    }
  };
}

/** The keypad settings for the current call: a SIP account set to SIP INFO sends its keys as messages. */
function keypadSettingsFor(store: AppStore, engine: CallEngine): DtmfSettings {
  const dtmf = store.settings.dtmf;
  const account = store.settings.sipAccounts.find((a) => a.id === engine.call?.account);
  return account?.keys === 'sip-info' ? { ...dtmf, transport: 'signaling' } : dtmf;
}

/** How a SIP account is named to the user; empty for the app's own server. */
function accountLabel(store: AppStore, id: string): string {
  const account = store.settings.sipAccounts.find((a) => a.id === id);
  if (!account) return '';
  return account.displayName ? `${account.displayName} (${account.address})` : account.address;
}

/** How long Undo is offered after a contact is removed. */
const UNDO_MS = 10_000;

/** The first switched-on SIP account that is registered now, or null. */
function firstReadySipAccount(store: AppStore): string | null {
  return store.settings.sipAccounts.find((a) => a.enabled && store.sipAccountState(a.id).status === 'registered')?.id ?? null;
}

/** The accounts the dial box offers: the app's server, then each SIP account that is switched on. */
function dialAccounts(store: AppStore): DialAccount[] {
  const app: DialAccount = { id: APP_ACCOUNT, label: t('App server'), ready: store.connection.status === 'connected' };
  const sip = store.settings.sipAccounts
    .filter((account) => account.enabled)
    .map((account) => ({
      id: account.id,
      label: accountLabel(store, account.id),
      ready: store.sipAccountState(account.id).status === 'registered',
    }));
  return [app, ...sip];
}

/** The element that has the keyboard, looking into shadow roots. */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

declare global {
  interface HTMLElementTagNameMap {
    'softphone-app': SoftphoneApp;
  }
}

/**
 * What the dial box may suggest: recent calls first (newest first), then
 * contacts: names for the app's server, addresses and numbers for SIP.
 */
function dialSuggestions(recent: readonly HistoryEntry[], contacts: AppStore['contacts'], recentLabel: string): DialSuggestion[] {
  return [
    ...recent.slice(0, 50).map((entry) => ({ value: entry.address, label: recentLabel, sip: entry.account !== APP_ACCOUNT })),
    ...contacts.flatMap((contact) => contact.addresses.map((address) => ({ value: address.value, label: contact.name, sip: address.kind !== 'app' }))),
  ];
}
