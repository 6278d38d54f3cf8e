/** How loud a microphone is right now, as an accessible meter (0–100). */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { levelFromSamples } from '../devices/audio-level.ts';

@customElement('level-meter')
export class LevelMeter extends LitElement {
  static styles = css`
    :host {
      display: block;
    }
    .track {
      height: 10px;
      border-radius: 5px;
      background: var(--sp-meter-track);
      overflow: hidden;
    }
    .fill {
      height: 100%;
      background: var(--sp-meter);
      transition: width 80ms linear;
    }
    @media (prefers-reduced-motion: reduce) {
      .fill {
        transition: none;
      }
    }
  `;

  /** The audio to measure; null shows an empty meter. */
  @property({ attribute: false }) stream: MediaStream | null = null;
  /** The meter's accessible name. */
  @property() label = 'Microphone level';
  @state() private level = 0;
  @query('.fill') private fill?: HTMLElement;
  private context: AudioContext | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  protected updated(changed: PropertyValues<this>): void {
    if (changed.has('stream')) this.measure(this.stream);
    // Through CSSOM: the page's CSP allows no inline style attributes.
    this.fill?.style.setProperty('width', `${this.level}%`);
  }

  render() {
    return html`<div
      role="meter"
      aria-label=${this.label}
      aria-valuemin="0"
      aria-valuemax="100"
      aria-valuenow=${this.level}
      aria-valuetext="${this.level} percent"
    >
      <div class="track"><div class="fill"></div></div>
    </div>`;
  }

  private measure(stream: MediaStream | null): void {
    this.stop();
    if (!stream || stream.getAudioTracks().length === 0) return;
    const context = (this.context = new AudioContext());
    void context.resume();
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    // Ten readings a second is as fast as anyone reads a meter.
    this.timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      // Rises at once, falls back gently: easier to read than the raw flicker.
      this.level = Math.max(levelFromSamples(samples), Math.floor(this.level * 0.8));
    }, 100);
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    void this.context?.close();
    this.context = null;
    this.level = 0;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'level-meter': LevelMeter;
  }
}
