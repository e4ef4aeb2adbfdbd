/** What every loader returns. */
import type { Interaction, ItemFeatures } from '../recommend/recommender';

/** A loaded data set: the interaction log, the items, and user attributes where the source has them. */
export interface Dataset {
  interactions: Interaction[];
  items: ItemFeatures[];
  /** User attributes (age, gender, occupation…) by user id, for per-group breakdowns. */
  users?: Map<string, Record<string, string>>;
}

/** The folder layouts the loaders understand. */
export type DatasetFormat = 'ml-100k' | 'ml-csv' | 'lastfm' | 'csv';

/** Every {@link DatasetFormat}, for option parsing and help texts. */
export const DATASET_FORMATS: readonly DatasetFormat[] = ['ml-100k', 'ml-csv', 'lastfm', 'csv'];
