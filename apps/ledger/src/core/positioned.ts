import { LogPosition } from '@ledger/event-store/port';

/** A command's answer with the log position it reached (the position header over HTTP, `position` over gRPC). */
export interface Positioned<T> {
  answer: T;
  position: LogPosition;
}
