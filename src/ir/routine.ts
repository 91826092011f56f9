/**
 * Functions, procedures, aggregates and triggers in the Schema IR. A function is known by its name and its
 * identity arguments (overloads are separate objects); a trigger by its table and its name.
 */
import { sameIR } from './ir-util.js';

/** Volatility other than the default (VOLATILE). */
export type Volatility = 'immutable' | 'stable';

/** An aggregate's state transition: `CREATE AGGREGATE name(args) (SFUNC = sfunc, STYPE = stype, ...)`. */
export interface AggregateIR {
  readonly sfunc: string;
  readonly stype: string;
  readonly finalfunc?: string;
  readonly initcond?: string;
}

/**
 * FunctionIR is a function, a procedure or an aggregate. `args` is the argument list as PostgreSQL prints it
 * (`p_film_id integer, p_store_id integer, OUT p_film_count integer`, defaults included); `returns` the result
 * (`SETOF integer`, `trigger`); both as written when declared, until the dialect's canonicaliser gives the
 * server's spelling. `body` is the source between the dollar quotes, exactly (PostgreSQL keeps it as sent); it is
 * compared without the blanks around it.
 */
export interface FunctionIR {
  readonly name: string;
  readonly kind: 'function' | 'procedure' | 'aggregate';
  readonly args: string;
  /**
   * The types that tell overloads apart (pg_get_function_identity_arguments), from the server; absent when not
   * known (a declared function not canonicalised), where `args` stands for it. Never compared by itself.
   */
  readonly identity?: string;
  /** The result of a function; absent for procedures and aggregates. */
  readonly returns?: string;
  /** The language of a function or procedure (`sql`, `plpgsql`); absent for aggregates. */
  readonly language?: string;
  /** The source of a function or procedure; empty for aggregates. */
  readonly body: string;
  readonly volatility?: Volatility;
  /** RETURNS NULL ON NULL INPUT. */
  readonly strict?: boolean;
  readonly securityDefiner?: boolean;
  /** SET search_path TO ... as PostgreSQL keeps it (`public, pg_temp`). */
  readonly searchPath?: string;
  /** PARALLEL SAFE or RESTRICTED; absent means UNSAFE (the default). */
  readonly parallel?: 'safe' | 'restricted';
  /** An aggregate's state function and type. */
  readonly aggregate?: AggregateIR;
  /** Functions of the schema this one calls (names its body mentions; an aggregate's state functions). Orders creates and drops; never compared. */
  readonly dependsOn?: readonly string[];
  /** What else in the schema calls it (names their SQL mentions). Orders creates and drops, and moves views and policies; never compared. */
  readonly usedBy?: FunctionUsers;
}

/** The objects whose SQL calls a function, by name: filled by the dialect's normalisation, on both sides. */
export interface FunctionUsers {
  /** Tables whose column defaults, generated columns, checks, indexes or exclusion constraints call it. */
  readonly tables: readonly string[];
  /** Domains whose default or checks call it. */
  readonly domains: readonly string[];
  /** Views and materialized views whose query calls it. */
  readonly views: readonly string[];
  /** Policies whose USING or WITH CHECK calls it. */
  readonly policies: readonly { readonly table: string; readonly name: string }[];
  /** Of `tables`: the columns whose default calls it (moved out of the way of the function dropped and created again). */
  readonly defaults?: readonly { readonly table: string; readonly column: string }[];
  /** Of `tables`: the checks that call it, by table and name (moved as the defaults are). */
  readonly checks?: readonly { readonly table: string; readonly name: string }[];
}

export type TriggerEvent = 'insert' | 'update' | 'delete' | 'truncate';

/** TriggerIR is a trigger on a table (or a view, INSTEAD OF). */
export interface TriggerIR {
  readonly name: string;
  readonly table: string;
  readonly timing: 'before' | 'after' | 'insteadOf';
  /** In the order insert, update, delete, truncate. */
  readonly events: readonly TriggerEvent[];
  /** UPDATE OF these columns; absent means any column. */
  readonly updateOf?: readonly string[];
  /** FOR EACH ROW (true) or FOR EACH STATEMENT. */
  readonly forEachRow: boolean;
  /** The WHEN condition, without its parentheses. */
  readonly when?: string;
  /** PostgreSQL: the trigger function it executes, and its arguments. */
  readonly execute?: string;
  readonly args?: readonly string[];
  /** SQLite: the statements between BEGIN and END. */
  readonly body?: string;
}

/** The key that tells a function from its overloads: `name(identity arguments)`. */
export function functionKey(f: FunctionIR): string {
  return `${f.name}(${f.identity ?? f.args})`;
}

/** How a function is named in messages and in DROP statements: `name(identity arguments)`. */
export const functionLabel = functionKey;

/** The key of a trigger: its table and name. */
export function triggerKey(t: Pick<TriggerIR, 'table' | 'name'>): string {
  return `${t.table}\u0000${t.name}`;
}

const EVENT_ORDER: readonly TriggerEvent[] = ['insert', 'update', 'delete', 'truncate'];

/** Events in their one order. */
export function sortEvents(events: readonly TriggerEvent[]): TriggerEvent[] {
  return EVENT_ORDER.filter((e) => events.includes(e));
}

/** Functions in an order where each comes after those it depends on (a cycle keeps the given order). */
export function functionOrder(functions: readonly FunctionIR[]): FunctionIR[] {
  const byName = new Map<string, FunctionIR[]>();
  for (const f of functions) byName.set(f.name, [...(byName.get(f.name) ?? []), f]);
  const out: FunctionIR[] = [];
  const seen = new Set<string>();
  const visit = (f: FunctionIR) => {
    const key = functionKey(f);
    if (seen.has(key)) return;
    seen.add(key);
    for (const d of f.dependsOn ?? []) for (const g of byName.get(d) ?? []) visit(g);
    out.push(f);
  };
  functions.forEach(visit);
  return out;
}

/** Whether two functions differ in what is compared (not the identity, a reading of the arguments, nor dependencies and users). */
export function functionsDiffer(a: FunctionIR, b: FunctionIR): boolean {
  // The body without the blanks around it: `$$\nBEGIN ... END\n$$` and `$$BEGIN ... END$$` are the same function.
  const key = ({ identity: _i, dependsOn: _d, usedBy: _u, ...rest }: FunctionIR) => ({ ...rest, body: rest.body.trim() });
  return !sameIR(key(a), key(b));
}
