/** What a check is given and returns. */
import type { RevisionWalk, StatementView } from './revision-walk.js';

/** A rule broken by one statement: the rule's id and the message naming what broke it. */
export interface Hit {
  readonly rule: string;
  readonly message: string;
  /** The fix for this case, where the rule's own would be wrong for it (a primary key is not a UNIQUE constraint). */
  readonly fix?: string;
}

/** A check reads one statement with the state of the revision before it. */
export type StatementCheck = (view: StatementView, walk: RevisionWalk) => Hit[];
