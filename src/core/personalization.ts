import type { CatalogItem } from './catalog';
import type { Profile } from './profile';
import type { Session } from './session';

/** The tones Attune can speak in. `neutral` leaves text as the bot wrote it. */
export type ToneName = 'neutral' | 'formal' | 'friendly' | 'concise' | 'empathetic';

/** One recommended item, with why it was chosen. */
export interface Recommendation {
  itemId: string;
  score: number;
  /** Short machine-readable reason: `affinity:running`, `model:itemknn`, `popular`, `popular:locale=de-DE`, `catalog`. */
  reason: string;
  /** The reason in words, in the user's language, for adapters to show ("because you viewed …"). */
  explanation: string;
  /** The catalog entry, when the item is in the catalog. */
  item?: CatalogItem;
}

/**
 * Everything Attune decided about the current turn's user. Stages fill it in; the bot's own
 * code and the adapters read it.
 */
export interface Personalization {
  userId: string;
  /**
   * The user's profile. Read-only, frozen in depth once stored (stores deal in immutable
   * values); a stage that changes it assigns a changed copy (`p.profile = applyTurn(...)`).
   */
  profile: Profile;
  /** The session's short-term context; read-only like `profile`. */
  session: Session;
  /** Segment ids the user is in now. */
  segments: string[];
  /** Segments entered and left on this turn. */
  entered: string[];
  exited: string[];
  recommendations: Recommendation[];
  tone: ToneName;
  /** Experiment variant, when an experiment runs. */
  variant?: string;
  /** True on the user's first ever turn. */
  firstVisit: boolean;
}
