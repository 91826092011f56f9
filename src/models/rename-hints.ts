/**
 * A rename hint of an object in a schema: the previous name in that same schema, written bare (`'ticket_seq'`) or
 * qualified with that schema (`'app.ticket_seq'`), read as the identity the IR gives it. A hint that names another
 * schema is refused: a rename does not move anything between schemas, and a hint read as another name would match
 * nothing, so the object would be dropped and created (its rows lost) instead.
 */
import { RetortError } from '../errors.js';
import { qualifiedName, splitQualified } from '../ir/qualified.js';

/**
 * `hint` as an identity of `schema` (undefined: the default schema). `what` names the object in the message
 * (`table "app.things"`), `write` spells the hint as the user writes it (`renamedFrom('items')`).
 */
export function hintInSchema(schema: string | undefined, what: string, hint: string, write: (name: string) => string): string {
  const { schema: given, name } = splitQualified(hint);
  if (given === undefined) return qualifiedName(schema, hint);
  if (given === schema) return hint;
  throw new RetortError('MODEL', `${what} is renamedFrom "${hint}", in another schema: a rename hint names the previous name in the same schema`, {
    hint: `write ${write(name)} if it was in ${schema ?? 'the default schema'}; to move it between schemas, write the move in the revision (ALTER ... SET SCHEMA with op.execute)`,
  });
}
