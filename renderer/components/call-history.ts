/**
 * The call history: every call with its direction, outcome, time, length,
 * audio or video and account; call back, add to contacts, delete one, clear
 * all (after asking). Main keeps the history; this shows the newest calls it
 * pushes and pages older ones on request.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { CallOutcome, HistoryEntry } from '../../common/history-schema.ts';
import { controlStyles, entryListStyles } from './shared-styles.ts';
import { currentLanguage, t } from '../../common/i18n/index.ts';
import { LocaleController } from '../state/locale-controller.ts';

/** Call back: through the same account, to the same address. */
export type CallBackEvent = CustomEvent<{ entry: HistoryEntry; video: boolean }>;
export type HistoryEntryEvent = CustomEvent<{ entry: HistoryEntry }>;

function outcomeText(outcome: CallOutcome): string {
  switch (outcome) {
    case 'answered':
      return t('Answered');
    case 'missed':
      return t('Missed');
    case 'declined':
      return t('Declined');
    case 'busy':
      return t('Busy');
    case 'no-answer':
      return t('No answer');
    case 'cancelled':
      return t('Cancelled');
    case 'failed':
      return t('Failed');
  }
}

function duration(entry: HistoryEntry): string {
  if (entry.answeredAt === null) return '';
  const seconds = Math.max(0, Math.round((entry.endedAt - entry.answeredAt) / 1000));
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Dates and times in the app's language. */
const formats = new Map<string, { time: Intl.DateTimeFormat; clock: Intl.DateTimeFormat; day: Intl.DateTimeFormat }>();
function formatsNow() {
  const language = currentLanguage();
  let found = formats.get(language);
  if (!found) {
    found = {
      time: new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }),
      clock: new Intl.DateTimeFormat(language, { timeStyle: 'short' }),
      day: new Intl.DateTimeFormat(language, { month: 'short', day: 'numeric' }),
    };
    formats.set(language, found);
  }
  return found;
}

/** Today's calls by the clock, older ones by the day. */
function shortTime(at: number): string {
  return new Date(at).toDateString() === new Date().toDateString() ? formatsNow().clock.format(at) : formatsNow().day.format(at);
}

@customElement('call-history')
export class CallHistory extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [
    controlStyles,
    entryListStyles,
    css`
      .toolbar {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 8px;
        margin: 8px 0;
      }
      /* One column: a row's text gets the panel's whole width, its actions a line of their own. */
      li {
        grid-template-columns: 1fr auto;
      }
      .who {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      time {
        color: var(--sp-muted);
        font-size: 0.85rem;
        white-space: nowrap;
      }
      li .actions {
        grid-column: 1 / -1;
        justify-content: start;
      }
      li .actions button {
        min-height: 28px;
        padding: 2px 10px;
        font-size: 0.9rem;
      }
      .details {
        color: var(--sp-muted);
        font-size: 0.9rem;
      }
      .missed .who,
      .missed .outcome {
        color: var(--sp-error);
      }
      .empty {
        color: var(--sp-muted);
      }
    `,
  ];

  @property({ attribute: false }) entries: readonly HistoryEntry[] = [];
  /** Whether older calls exist beyond `entries`. */
  @property({ type: Boolean }) more = false;
  @property({ type: Boolean }) callsDisabled = false;
  /** Names for accounts other than the app's own, by id. */
  @property({ attribute: false }) accountNames: Readonly<Record<string, string>> = {};
  @state() private confirmingClear = false;

  render() {
    if (this.entries.length === 0) return html`<p class="empty">${t('No calls yet.')}</p>`;
    return html`<div class="toolbar">
        ${this.confirmingClear
          ? html`<span role="group" aria-label=${t('Clear the whole call history?')}
              >${t('Clear all {{count}} calls?', { count: `${this.entries.length}${this.more ? '+' : ''}` })}
              <button class="danger" @click=${() => this.clearAll()}>${t('Yes, clear')}</button>
              <button @click=${() => (this.confirmingClear = false)} autofocus>${t('Keep them')}</button></span
            >`
          : html`<button @click=${() => (this.confirmingClear = true)}>${t('Clear history')}</button>`}
      </div>
      <ul aria-label=${t('Calls')}>
        ${this.entries.map((entry) => this.renderEntry(entry))}
      </ul>
      ${this.more ? html`<button @click=${() => this.emit('load-more-history')}>${t('Show older calls')}</button>` : ''}`;
  }

  private renderEntry(entry: HistoryEntry) {
    const who = entry.displayName && entry.displayName !== entry.address ? `${entry.displayName} (${entry.address})` : entry.address;
    const account = this.accountNames[entry.account];
    const details = [
      entry.direction === 'incoming' ? t('Incoming') : t('Outgoing'),
      entry.video ? t('video') : t('audio'),
      duration(entry),
      account ? t('via {{account}}', { account }) : '',
    ].filter(Boolean);
    return html`<li class=${entry.outcome === 'missed' ? 'missed' : ''}>
      <div>
        <div class="who">${who}</div>
        <div class="details"><span class="outcome">${outcomeText(entry.outcome)}</span> · ${details.join(' · ')}</div>
      </div>
      <time datetime=${new Date(entry.startedAt).toISOString()}>${shortTime(entry.startedAt)}</time>
      <div class="actions">
        <button ?disabled=${this.callsDisabled} @click=${() => this.emitEntry('call-back', entry, { video: false })} aria-label=${t('Call back {{name}}', { name: who })}>
          ${t('Call back')}
        </button>
        <button @click=${() => this.emitEntry('add-history-contact', entry)} aria-label=${t('Add {{name}} to contacts', { name: who })}>${t('Add')}</button>
        <button @click=${() => this.emitEntry('delete-history-entry', entry)} aria-label=${t('Delete the call with {{name}} at {{time}}', { name: who, time: formatsNow().time.format(entry.startedAt) })}>
          ${t('Delete')}
        </button>
      </div>
    </li>`;
  }

  private clearAll(): void {
    this.confirmingClear = false;
    this.emit('clear-history');
  }

  private emit(type: string): void {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true }));
  }

  private emitEntry(type: string, entry: HistoryEntry, extra: { video?: boolean } = {}): void {
    this.dispatchEvent(new CustomEvent(type, { detail: { entry, video: false, ...extra }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'call-history': CallHistory;
  }
}
