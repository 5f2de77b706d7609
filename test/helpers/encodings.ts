// Bytes as Cyrillic Windows saves them (windows-1251): А–я map to 0xC0–0xFF; enough for test files.
export function cp1251(text: string): Buffer {
  return Buffer.from(
    [...text].map((ch) => {
      const c = ch.codePointAt(0)!;
      return c < 0x80 ? c : c >= 0x410 && c <= 0x44f ? c - 0x410 + 0xc0 : 0x3f;
    }),
  );
}
