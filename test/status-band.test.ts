// The status band's design, checked as data: every outcome and failure has its own word, every group
// of meaning its own icon and colour, and the colours stay apart for deuteranopes. The browser test
// (test/e2e/status-band.test.ts) checks the same colours as Chromium renders them.
import { describe, expect, it } from 'vitest';
import { BAND, TONE_COLOURS, TONE_ICONS, TONES } from '../src/web/band.js';
import { OUTCOME_KINDS } from '../src/domain/scan-outcomes.js';
import {
  contrastRatio,
  deltaE2000,
  deltaE2000Lab,
  parseColour,
  simulateDeuteranopia,
} from './helpers/colour-vision.js';

/** Least CIEDE2000 distance between two band colours, to normal vision and under deuteranopia. */
const MIN_DELTA_E = 15;

describe('status band', () => {
  it('has a band for every outcome the engine gives, each with its own word', () => {
    for (const kind of OUTCOME_KINDS) expect(BAND[kind], kind).toBeDefined();
    const words = Object.values(BAND).map((b) => b.word);
    expect(new Set(words).size).toBe(words.length);
  });

  it('gives every tone its own icon and readable text', () => {
    expect(new Set(Object.values(TONE_ICONS)).size).toBe(TONES.length);
    for (const tone of TONES) {
      const { bg, fg } = TONE_COLOURS[tone];
      expect(contrastRatio(parseColour(bg), parseColour(fg)), tone).toBeGreaterThanOrEqual(4.5);
    }
  });

  it(`keeps every pair of tone colours at least CIEDE2000 ${MIN_DELTA_E} apart, also under deuteranopia`, () => {
    for (const [i, a] of TONES.entries()) {
      for (const b of TONES.slice(i + 1)) {
        const ca = parseColour(TONE_COLOURS[a].bg);
        const cb = parseColour(TONE_COLOURS[b].bg);
        expect(deltaE2000(ca, cb), `${a} / ${b}`).toBeGreaterThanOrEqual(MIN_DELTA_E);
        expect(
          deltaE2000(simulateDeuteranopia(ca), simulateDeuteranopia(cb)),
          `${a} / ${b} to a deuteranope`,
        ).toBeGreaterThanOrEqual(MIN_DELTA_E);
      }
    }
  });

  it('measures colour difference like the CIEDE2000 reference data', () => {
    // Sharma, Wu & Dalal (2005), test pairs 1, 7 and 17.
    expect(deltaE2000Lab([50, 2.6772, -79.7751], [50, 0, -82.7485])).toBeCloseTo(2.0425, 3);
    expect(deltaE2000Lab([50, 0, 0], [50, -1, 2])).toBeCloseTo(2.3669, 3);
    expect(deltaE2000Lab([50, 2.5, 0], [73, 25, -18])).toBeCloseTo(27.1492, 3);
    // Red and green, far apart to most people, nearly alike to a deuteranope.
    const red = parseColour('#d00000');
    const green = parseColour('#6a8a00');
    expect(deltaE2000(red, green)).toBeGreaterThan(30);
    expect(deltaE2000(simulateDeuteranopia(red), simulateDeuteranopia(green))).toBeLessThan(10);
  });
});
