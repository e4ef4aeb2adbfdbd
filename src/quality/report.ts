import type { FieldKind, RateKind } from './config';
import type { ViolationType } from './tracking-plan';

/** What checking one ingestion's events found, for the hooks (and so the metrics). */
export interface QualityReport {
  /** Where the events came from (`rest`, `segment`, `library`…), as ingestion names it. */
  source: string;
  /** Events checked. */
  events: number;
  /** Fields converted, by kind of normalization. */
  fixed: Partial<Record<FieldKind, number>>;
  /** Fields that could not be read and were kept as they came, by kind. */
  unparseable: Partial<Record<FieldKind, number>>;
  /** Violations, by the event's name and the violation's type. */
  violations: { event: string; type: ViolationType; count: number }[];
  /** Events refused by the plan. */
  blocked: number;
  /** Unplanned properties removed. */
  stripped: number;
  /** Events repeating one of the same user, name and properties within the window, without a messageId. */
  nearDuplicates: number;
  /** The source's rates over the monitor's window, after these events. */
  rates: Record<RateKind, number>;
}

/** A rate crossed its threshold (`firing`), or came back under it (`resolved`). */
export interface QualityAlert {
  source: string;
  kind: RateKind;
  state: 'firing' | 'resolved';
  rate: number;
  threshold: number;
  /** Events the source sent in the window. */
  events: number;
}
