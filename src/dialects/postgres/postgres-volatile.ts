/**
 * Functions PostgreSQL marks VOLATILE that column defaults commonly call: each row gets its own value, so adding a
 * column with such a default writes it into every row, rewriting the table under ACCESS EXCLUSIVE. Shared by lint's
 * volatile-default rule (on parsed SQL) and autogenerate's plan (on the models' default text). A function of the
 * user's is not known here: lint and the plan both miss it.
 */
export const VOLATILE_DEFAULT_FUNCTIONS: ReadonlySet<string> = new Set([
  'random', 'gen_random_uuid', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4', 'uuidv4', 'uuidv7',
  'clock_timestamp', 'timeofday', 'nextval', 'txid_current', 'setseed',
]);
