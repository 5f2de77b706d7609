// Session views with the live progress of lists open at this server's stations.
import type { SessionView, StationState } from './types.js';

/** Lists open at stations of this server report their live progress; the share's index lags behind. */
export function withLiveProgress(sessions: SessionView[], stations: StationState[]): SessionView[] {
  return sessions.map((s) => ({
    ...s,
    lists: s.lists.map((l) => {
      const live = stations.find(
        (st) =>
          st.client === s.client &&
          st.session === s.session &&
          st.list === l.name &&
          st.lease.state === 'held',
      );
      return live
        ? { ...l, orders_done: live.progress.orders_done, items_done: live.progress.items_done }
        : l;
    }),
  }));
}
