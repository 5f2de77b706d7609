// One distinct sound per outcome, made with oscillators (no files, no delay). Packers look at the
// box, not the screen, so the ear must tell "ok" from "wrong item" from "over-scan". Browsers keep
// audio suspended until the page is used; the first scan's keystrokes usually unlock it, and the
// page shows a banner until then. Every sound is logged on window.__packdeskSounds and in the body's
// data-last-sound, so people and tests can see which one played.

import type { SoundName } from './band.js';

export type { SoundName };

interface Tone {
  freq: number;
  ms: number;
  type: OscillatorType;
  gapMs?: number;
}

const PATTERNS: Record<SoundName, Tone[]> = {
  ok: [{ freq: 1320, ms: 70, type: 'sine' }],
  open: [
    { freq: 880, ms: 60, type: 'sine', gapMs: 30 },
    { freq: 1320, ms: 60, type: 'sine' },
  ],
  wrong: [
    { freq: 220, ms: 160, type: 'square', gapMs: 80 },
    { freq: 220, ms: 160, type: 'square' },
  ],
  overscan: [{ freq: 140, ms: 650, type: 'sawtooth' }],
  unknown: [
    { freq: 660, ms: 120, type: 'triangle', gapMs: 40 },
    { freq: 330, ms: 220, type: 'triangle' },
  ],
  complete: [
    { freq: 880, ms: 90, type: 'sine', gapMs: 30 },
    { freq: 1175, ms: 90, type: 'sine', gapMs: 30 },
    { freq: 1760, ms: 180, type: 'sine' },
  ],
  // Completed, but not by scanning: the "complete" rise, ending low instead of high.
  manual: [
    { freq: 880, ms: 90, type: 'sine', gapMs: 30 },
    { freq: 1175, ms: 90, type: 'sine', gapMs: 30 },
    { freq: 587, ms: 220, type: 'triangle' },
  ],
  forced: [
    { freq: 587, ms: 120, type: 'sawtooth', gapMs: 40 },
    { freq: 587, ms: 120, type: 'sawtooth', gapMs: 40 },
    { freq: 440, ms: 240, type: 'sawtooth' },
  ],
  // A question: two rising notes, left hanging.
  ask: [
    { freq: 523, ms: 140, type: 'triangle', gapMs: 60 },
    { freq: 784, ms: 260, type: 'triangle' },
  ],
  refused: [{ freq: 300, ms: 220, type: 'square' }],
  offline: [
    { freq: 250, ms: 120, type: 'square', gapMs: 60 },
    { freq: 250, ms: 120, type: 'square', gapMs: 60 },
    { freq: 250, ms: 120, type: 'square', gapMs: 60 },
    { freq: 250, ms: 120, type: 'square' },
  ],
  lost: [
    { freq: 400, ms: 300, type: 'square', gapMs: 100 },
    { freq: 300, ms: 300, type: 'square', gapMs: 100 },
    { freq: 200, ms: 500, type: 'square' },
  ],
};

declare global {
  interface Window {
    __packdeskSounds?: SoundName[];
    webkitAudioContext?: typeof AudioContext;
  }
}

let context: AudioContext | null = null;
const listeners = new Set<(running: boolean) => void>();

function audio(): AudioContext | null {
  if (context) return context;
  const Ctor = window.AudioContext ?? window.webkitAudioContext;
  if (!Ctor) return null;
  context = new Ctor();
  const ctx = context;
  document.body.dataset.soundState = ctx.state;
  ctx.onstatechange = () => {
    document.body.dataset.soundState = ctx.state;
    listeners.forEach((l) => l(ctx.state === 'running'));
  };
  return context;
}

export function soundEnabled(): boolean {
  return audio()?.state === 'running';
}

export function onSoundState(listener: (running: boolean) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Called from a click or key press: a user gesture lets the browser start audio. */
export async function unlockSound(): Promise<boolean> {
  const ctx = audio();
  if (!ctx) return false;
  if (ctx.state !== 'running') await ctx.resume().catch(() => undefined);
  return ctx.state === 'running';
}

export function playSound(name: SoundName): void {
  (window.__packdeskSounds ??= []).push(name);
  document.body.dataset.lastSound = name;
  const ctx = audio();
  if (!ctx) return;
  if (ctx.state !== 'running') void ctx.resume().catch(() => undefined);
  let at = ctx.currentTime + 0.01;
  for (const tone of PATTERNS[name]) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = tone.type;
    osc.frequency.value = tone.freq;
    const end = at + tone.ms / 1000;
    // A short ramp at both ends avoids clicks that would blur two tones into one.
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.35, at + 0.01);
    gain.gain.setValueAtTime(0.35, end - 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, end);
    osc.connect(gain).connect(ctx.destination);
    osc.start(at);
    osc.stop(end + 0.01);
    at = end + (tone.gapMs ?? 0) / 1000;
  }
}
