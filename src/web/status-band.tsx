// The big status band of packer mode: icon, word and message of the last answer (see band.ts).
import { bandStyle, TONE_COLOURS, TONE_ICONS, type BandKind } from './band.js';

export function StatusBand(props: { kind: BandKind; message: string; saving: boolean }) {
  const style = bandStyle(props.kind);
  const colours = TONE_COLOURS[style.tone];
  return (
    <div
      class={`band tone-${style.tone}`}
      style={{ background: colours.bg, color: colours.fg }}
      data-testid="status"
      data-kind={props.kind}
      data-tone={style.tone}
      data-error={style.error ? 'true' : 'false'}
      role="status"
      aria-live="assertive"
    >
      <svg class="band-icon" viewBox="0 0 24 24" aria-hidden="true" data-testid="band-icon">
        <path d={TONE_ICONS[style.tone]} />
      </svg>
      <div class="band-text">
        <div class="band-word" data-testid="band-word">
          {style.word}
        </div>
        <div class="band-message" data-testid="band-message">
          {props.message}
          {props.saving && <span class="saving"> saving…</span>}
        </div>
      </div>
    </div>
  );
}
