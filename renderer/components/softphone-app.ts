/**
 * The application shell: connection status, sign-in, contacts and the call.
 * It owns the services (store, call engine) and shares them by context; child
 * components report what the user did with bubbling events.
 */
import { LitElement, css, html } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { provide } from '@lit/context';
import { APP_ACCOUNT, type AccountId } from '../../common/call-messages.ts';
import type { Contact, SoftphoneApi } from '../../common/ipc-contract.ts';
import type { DtmfSettings } from '../../common/settings-schema.ts';
import { CallEngine } from '../call/call-engine.ts';
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
import type { CallAddressEvent, CallContactEvent, ContactList } from './contact-list.ts';
import { contactForPeer } from '../state/contact-addresses.ts';
import './contact-list.ts';
import './incoming-call-panel.ts';
import './call-view.ts';
import './dtmf-keypad.ts';
import type { DialAccount } from './dial-box.ts';
import './dial-box.ts';
import './contact-editor.ts';
import './notice-list.ts';
import './settings-dialog.ts';

@customElement('softphone-app')
export class SoftphoneApp extends LitElement {
  static styles = [
    controlStyles,
    css`
      :host {
        display: grid;
        grid-template-rows: auto auto 1fr;
        min-height: 100vh;
        font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
        color: #1a202c;
        background: #f7f9fc;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 16px;
        padding: 10px 16px;
        background: #fff;
        border-bottom: 1px solid #e2e8f0;
      }
      h1 {
        font-size: 1.1rem;
        margin: 0;
      }
      connection-status {
        flex: 1 1 18rem;
      }
      .header-actions {
        display: flex;
        gap: 16px;
        margin-left: auto;
      }
      /* Their content is a modal <dialog> in the top layer: they must not take a row or a cell of the layout. */
      settings-dialog,
      contact-editor {
        display: contents;
      }
      notice-list {
        padding: 8px 16px 0;
      }
      main {
        display: grid;
        grid-template-columns: minmax(260px, 340px) 1fr;
        gap: 16px;
        padding: 16px;
        align-items: start;
      }
      .panel {
        background: #fff;
        border: 1px solid #e2e8f0;
        border-radius: 12px;
        padding: 12px 16px;
      }
      .idle {
        color: #718096;
      }
      .fatal {
        padding: 24px;
        color: #c53030;
      }
      .undo {
        display: flex;
        align-items: center;
        gap: 8px;
        margin: 8px 0;
        padding: 6px 8px;
        border-radius: 8px;
        background: #edf2f7;
      }
      .undo p {
        margin: 0;
        flex: 1;
      }
      .contact-error {
        color: #c53030;
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
      this.fatal = 'The softphone bridge is missing: this page must be opened by the Softphone app.';
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
        },
      );
      new CallDeviceFollower(engine, devices);
      this.callNotices = new CallNotices(engine);
      api.on('call', (event) => void engine.handleEvent(event));
      engine.addEventListener('change', () => this.updateTones(engine));
      this.keypad = new KeypadService({ engine, api, settings: () => keypadSettingsFor(store, engine), feedbackOutput: () => this.tones.output() });
      this.changes.watch(store, engine, this.keypad, devices, this.callNotices);
      this.services = { store, engine, devices };
      window.addEventListener('beforeunload', () => engine.shutdown());
    } catch (error) {
      this.fatal = `Could not start: ${error instanceof Error ? error.message : String(error)}`;
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
    if (phase === 'incoming') this.tones.play('ringtone', RINGTONE);
    // Early media (a 183: the far end's own ringback or an announcement) is heard instead of ours.
    else if (phase === 'ringing' && !engine.call?.earlyMedia) this.tones.play('ringback', RINGBACK);
    else this.tones.stop();
    if (this.tones.playing) this.dataset.tone = this.tones.playing;
    else delete this.dataset.tone;
  }

  render() {
    if (this.fatal) return html`<p class="fatal" role="alert">${this.fatal}</p>`;
    if (!this.services) return html`<p class="idle" role="status">Starting…</p>`;
    const { store, engine, devices } = this.services;
    const signedIn = store.settings.displayName !== null && !this.editingName;
    return html`
      <header>
        <h1>Softphone</h1>
        <connection-status .state=${store.connection} @open-account-settings=${() => this.settingsDialog?.show('account')}></connection-status>
        <div class="header-actions">
          ${signedIn ? html`<button @click=${() => (this.editingName = true)}>Change name</button>` : ''}
          <button aria-haspopup="dialog" @click=${() => this.settingsDialog?.show()}>Settings</button>
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
        <h2>Who are you?</h2>
        <p>Your name is how others find you in their contact list.</p>
        <sign-in-form .name=${store.settings.displayName ?? ''} @sign-in=${this.signIn}></sign-in-form>
      </div>
    </main>`;
  }

  private renderPhone(store: AppStore, engine: CallEngine) {
    const call = engine.call;
    return html`<main>
      <div class="panel" @call-contact=${this.callContact} @call-address=${this.callAddress}>
        <dial-box ?busy=${engine.busy} .accounts=${dialAccounts(store)}></dial-box>
        ${this.removed
          ? html`<div class="undo" role="status">
              <p>${this.removed.name} was removed from your contacts.</p>
              <button id="undo-remove" @click=${this.undoRemove}>Undo</button>
            </div>`
          : ''}
        ${this.contactError ? html`<p class="contact-error" role="alert">${this.contactError}</p>` : ''}
        <contact-list
          .contacts=${store.directory.contacts}
          .others=${store.directory.others}
          ?busy=${engine.busy}
          ?appReady=${store.connection.status === 'connected'}
          ?sipReady=${firstReadySipAccount(store) !== null}
          @new-contact=${() => (this.editingContact = 'new')}
          @edit-contact=${(e: CustomEvent<{ id: string }>) => (this.editingContact = e.detail.id)}
          @add-online-user=${this.addOnlineUser}
          @remove-contact=${this.removeContact}
        ></contact-list>
      </div>
      <div class="panel">
        ${call?.phase === 'incoming'
          ? html`<incoming-call-panel
              .caller=${call.peer}
              .address=${call.address}
              .account=${accountLabel(store, call.account)}
              ?video=${call.remoteOffersVideo}
              @accept-call=${() => engine.accept()}
              @decline-call=${() => engine.decline()}
            ></incoming-call-panel>`
          : call
            ? html`<call-view
                  .call=${call}
                  .speakerSinkId=${this.services?.devices.speakerSinkId ?? ''}
                  @call-control=${this.callControl}
                  @open-devices=${() => this.settingsDialog?.show('devices')}
                ></call-view>
                ${this.keypad?.active
                  ? html`<dtmf-keypad
                      .keypad=${this.keypad}
                      .peer=${call.peer}
                      ?extended=${store.settings.dtmf.extendedKeys}
                      .sequences=${contactForPeer(store.directory.contacts, call.peer)?.sequences ?? []}
                    ></dtmf-keypad>`
                  : ''}`
            : html`<p class="idle">No call. Choose a contact to call.</p>`}
      </div>
      <contact-editor
        .contact=${this.editingContact === 'new' ? 'new' : (store.directory.contacts.find((c) => c.id === this.editingContact) ?? null)}
        @contact-saved=${(e: CustomEvent<{ id: string }>) => this.contactList?.focusContact(e.detail.id)}
        @close-editor=${() => (this.editingContact = null)}
      ></contact-editor>
    </main>`;
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
      this.contactError = 'SIP addresses and numbers can be called once a SIP account is registered (Settings → Accounts).';
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
      this.contactError = error instanceof Error ? error.message : String(error);
    }
  }

  private readonly callControl = (event: CustomEvent<{ action: string }>) => {
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
  const app: DialAccount = { id: APP_ACCOUNT, label: 'App server', ready: store.connection.status === 'connected' };
  const sip = store.settings.sipAccounts
    .filter((account) => account.enabled)
    .map((account) => ({
      id: account.id,
      label: accountLabel(store, account.id),
      ready: store.sipAccountState(account.id).status === 'registered',
    }));
  return [app, ...sip];
}

declare global {
  interface HTMLElementTagNameMap {
    'softphone-app': SoftphoneApp;
  }
}
