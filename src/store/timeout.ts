// A hung SMB share blocks file calls for minutes. Every first contact with the share goes through
// this, so the station reports the problem within ConnectionTimeout instead of freezing.
import { NetworkError } from '../domain/errors.js';

export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new NetworkError(
            `The data folder did not answer within ${(ms / 1000).toFixed(1)} s while trying to ${what}. ` +
              'Check the network connection and that the file server is running.',
            { timeout_ms: ms },
          ),
        ),
      ms,
    );
    // A hung call must not keep the process alive once the command has reported the error.
    timer.unref();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
