// jsbarcode's Code 128 encoder, used without jsbarcode's renderer (which needs a DOM or a canvas).
// The encoder classes are plain JavaScript with no declarations of their own; this covers the one
// packdesk uses: automatic choice of code sets A/B/C, check symbol, start and stop.
declare module 'jsbarcode/bin/barcodes/CODE128/index.js' {
  export class CODE128 {
    constructor(data: string, options: Record<string, unknown>);
    /** False when the text holds characters Code 128 cannot carry. */
    valid(): boolean;
    /** `data`: one character per module, "1" bar and "0" space, quiet zones not included. */
    encode(): { data: string; text: string };
  }
}
