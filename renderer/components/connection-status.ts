/** Always-visible line saying whether we can make calls, and if not, why and what happens next. */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ConnectionState } from '../../common/ipc-contract.ts';

export function describeConnection(state: ConnectionState): string {
  switch (state.status) {
    case 'connected':
      return state.signedInAs ? `Online as ${state.signedInAs}` : 'Connected, signing in…';
    case 'connecting':
      return `Connecting to ${state.serverUrl}…`;
    case 'reconnecting': {
      const when = state.retryInMs === null ? '' : ` in ${Math.max(1, Math.round(state.retryInMs / 1000))} s`;
      return `Offline: ${state.lastError ?? 'connection lost'}. Reconnecting${when} (attempt ${state.attempt})…`;
    }
    case 'failed':
      return `Cannot connect: ${state.lastError ?? 'the server refused the connection'}`;
  }
}

@customElement('connection-status')
export class ConnectionStatusElement extends LitElement {
  static styles = css`
    :host {
      display: flex;
      align-items: center;
      gap: 8px;
      font-size: 0.9rem;
    }
    .dot {
      width: 10px;
      height: 10px;
      border-radius: 50%;
      background: #a0aec0;
      flex: none;
    }
    .dot[data-status='connected'] {
      background: #38a169;
    }
    .dot[data-status='reconnecting'],
    .dot[data-status='connecting'] {
      background: #d69e2e;
    }
    .dot[data-status='failed'] {
      background: #e53e3e;
    }
  `;

  @property({ attribute: false }) state: ConnectionState | null = null;

  render() {
    if (!this.state) return html``;
    return html`<span class="dot" data-status=${this.state.status} aria-hidden="true"></span>
      <span role="status" aria-live="polite" data-status=${this.state.status}>${describeConnection(this.state)}</span>
      ${this.state.hostingServer ? html`<span class="host">(hosting the server)</span>` : ''}`;
  }
}
