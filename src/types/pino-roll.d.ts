// pino-roll ships no type declarations; this covers the options packdesk uses.
declare module 'pino-roll' {
  import type { DestinationStream } from 'pino';
  interface RollOptions {
    file: string | (() => string);
    size?: number | string;
    frequency?: number | 'daily' | 'hourly';
    extension?: string;
    dateFormat?: string;
    mkdir?: boolean;
    sync?: boolean;
    symlink?: boolean;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
  }
  export default function roll(
    options: RollOptions,
  ): Promise<DestinationStream & { end(): void; flushSync(): void }>;
}
