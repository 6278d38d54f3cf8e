/**
 * The call history: every call with its direction, outcome, time, length,
 * audio or video and account; call back, add to contacts, delete one, clear
 * all (after asking). Main keeps the history; this shows the newest calls it
 * pushes and asks for older ones as the list is scrolled to its end.
 *
 * Only the rows in view are drawn (@lit-labs/virtualizer): a history of tens
 * of thousands of calls costs the page what one screenful does. The arrow
 * keys, Page Up/Down, Home and End move between rows from anywhere in a row;
 * Tab goes on to a row's buttons.
 */
import type { LitVirtualizer } from '@lit-labs/virtualizer';
import type { VisibilityChangedEvent } from '@lit-labs/virtualizer/events.js';
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
// Registers <lit-virtualizer>.
import '@lit-labs/virtualizer';
import type { CallOutcome, HistoryEntry } from '../../common/history-schema.ts';
import { focusListRow } from '../lists/focus-list-row.ts';
import { nearFlow } from '../lists/near-flow-layout.ts';
import { controlStyles, listRowStyles } from './shared-styles.ts';
import { avatar, avatarStyles } from '../avatar/avatar.ts';
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

/** Older calls are asked for when the last row in view is this close to the end of those loaded. */
const LOAD_AHEAD = 20;
/** Page Up and Page Down move this many rows. */
const PAGE_ROWS = 10;

@customElement('call-history')
export class CallHistory extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [
    controlStyles,
    listRowStyles,
    avatarStyles,
    css`
      .toolbar {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 8px;
        margin: 8px 0;
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
      /* Under the text (the row is avatar, who and how, time): the buttons are small enough to fit there. */
      .actions {
        grid-column: 2 / -1;
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
      }
      .actions button {
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
      .older {
        margin-top: 8px;
      }
    `,
  ];

  /** Newest first. */
  @property({ attribute: false }) entries: readonly HistoryEntry[] = [];
  /** Whether older calls exist beyond `entries`. */
  @property({ type: Boolean }) more = false;
  @property({ type: Boolean }) callsDisabled = false;
  /** Names for accounts other than the app's own, by id. */
  @property({ attribute: false }) accountNames: Readonly<Record<string, string>> = {};
  @state() private confirmingClear = false;
  @query('lit-virtualizer') private list?: LitVirtualizer;
  /** Where the keyboard goes once a delete or clear shows in `entries`: the row that took the deleted one's place, or the empty list. */
  private focusAfterChange: { deleted: string; index: number } | 'cleared' | null = null;
  /** `entries` when older calls were last asked for, so one list asks once. */
  private askedMoreFor: readonly HistoryEntry[] | null = null;

  /** Moves the keyboard to the call at `index`, scrolling the list to it. */
  private async focusEntry(index: number): Promise<boolean> {
    await this.updateComplete;
    const list = this.list;
    const entry = this.entries[index];
    if (!list || !entry) return false;
    // By id, not by place: for a frame after a change the list still shows rows where they were.
    return focusListRow(list, index, () => this.renderRoot.querySelector<HTMLElement>(`.row[data-entry-id="${CSS.escape(entry.id)}"]`));
  }

  protected updated(changed: PropertyValues<this>): void {
    if (!changed.has('entries') || this.focusAfterChange === null) return;
    const pending = this.focusAfterChange;
    if (pending !== 'cleared' && this.entries.some((e) => e.id === pending.deleted)) return;
    this.focusAfterChange = null;
    if (this.entries.length === 0) this.renderRoot.querySelector<HTMLElement>('.empty')?.focus();
    else if (pending !== 'cleared') void this.focusEntry(Math.min(pending.index, this.entries.length - 1));
  }

  render() {
    if (this.entries.length === 0) return html`<p class="empty" tabindex="-1">${t('No calls yet.')}</p>`;
    return html`<div class="toolbar">
        ${this.confirmingClear
          ? html`<span role="group" aria-label=${t('Clear the whole call history?')}
              >${t('Clear all {{count}} calls?', { count: `${this.entries.length}${this.more ? '+' : ''}` })}
              <button class="danger" @click=${() => this.clearAll()}>${t('Yes, clear')}</button>
              <button id="keep" @click=${() => this.askToClear(false)}>${t('Keep them')}</button></span
            >`
          : html`<button id="clear" @click=${() => this.askToClear(true)}>${t('Clear history')}</button>`}
      </div>
      <lit-virtualizer
        role="list"
        aria-label=${t('Calls')}
        .items=${this.entries}
        .layout=${nearFlow}
        .keyFunction=${(entry: HistoryEntry) => entry.id}
        .renderItem=${(entry: HistoryEntry, index: number) => this.renderEntry(entry, index)}
        @visibilityChanged=${this.onVisibilityChanged}
        @keydown=${this.onKeydown}
      ></lit-virtualizer>
      ${this.more ? html`<button class="older" @click=${() => this.emit('load-more-history')}>${t('Show older calls')}</button>` : ''}`;
  }

  private renderEntry(entry: HistoryEntry, index: number) {
    const who = entry.displayName && entry.displayName !== entry.address ? `${entry.displayName} (${entry.address})` : entry.address;
    const account = this.accountNames[entry.account];
    const details = [
      entry.direction === 'incoming' ? t('Incoming') : t('Outgoing'),
      entry.video ? t('video') : t('audio'),
      duration(entry),
      account ? t('via {{account}}', { account }) : '',
    ].filter(Boolean);
    // Only some rows exist at a time: their place in the whole list is told, so "call 3 of 200" is still said.
    return html`<div
      role="listitem"
      class="row ${entry.outcome === 'missed' ? 'missed' : ''}"
      data-entry-id=${entry.id}
      tabindex="-1"
      aria-posinset=${index + 1}
      aria-setsize=${this.more ? -1 : this.entries.length}
    >
      ${avatar(entry.displayName ?? entry.address)}
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
        <button @click=${() => this.deleteEntry(entry)} aria-label=${t('Delete the call with {{name}} at {{time}}', { name: who, time: formatsNow().time.format(entry.startedAt) })}>
          ${t('Delete')}
        </button>
      </div>
    </div>`;
  }

  /** The end of the loaded calls came into view: ask for older ones, once for this list. */
  private readonly onVisibilityChanged = (event: VisibilityChangedEvent) => {
    if (!this.more || event.last < this.entries.length - LOAD_AHEAD || this.askedMoreFor === this.entries) return;
    this.askedMoreFor = this.entries;
    this.emit('load-more-history');
  };

  /** Up, Down, Page Up, Page Down, Home and End move between rows, from the row or any of its buttons. */
  private readonly onKeydown = (event: KeyboardEvent) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const row = (event.target as HTMLElement).closest<HTMLElement>('.row');
    if (!row) return;
    const index = this.entries.findIndex((e) => e.id === row.dataset.entryId);
    if (index < 0) return;
    const last = this.entries.length - 1;
    const target = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + PAGE_ROWS,
      PageUp: index - PAGE_ROWS,
      Home: 0,
      End: last,
    }[event.key];
    if (target === undefined) return;
    // The page would scroll instead.
    event.preventDefault();
    void this.focusEntry(Math.max(0, Math.min(last, target)));
  };

  private deleteEntry(entry: HistoryEntry): void {
    this.focusAfterChange = { deleted: entry.id, index: this.entries.indexOf(entry) };
    this.emitEntry('delete-history-entry', entry);
  }

  /** Asking puts the keyboard on Keep them (the safe answer); either answer brings it back. */
  private async askToClear(asking: boolean): Promise<void> {
    this.confirmingClear = asking;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(asking ? '#keep' : '#clear')?.focus();
  }

  private clearAll(): void {
    this.confirmingClear = false;
    this.focusAfterChange = 'cleared';
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
