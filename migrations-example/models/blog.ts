import { array, boolean, enumType, integer, json, serial, sql, table, text, timestamp, unique, varchar } from 'retort-migrate';

export const genderEnum = enumType('genderenum', ['MALE', 'FEMALE', 'OTHER', 'UNDEFINED']);

const timestamps = () => ({
  created_at: timestamp({ withTimezone: true }).notNull().serverDefault(sql`now()`),
});

export const users = table('users', {
  id: serial().primaryKey(),
  username: varchar(80).notNull().unique(),
  email: varchar(255).notNull().unique(),
  ...timestamps(),
});

// One-to-one with users.
export const profiles = table('profiles', {
  id: serial().primaryKey(),
  user_id: integer().notNull().unique().references(() => users.columns.id, { onDelete: 'cascade' }),
  gender: genderEnum().notNull().serverDefault('UNDEFINED'),
  interests: array(text()),
  contacts: json(),
});

// One-to-many: a user writes posts, a post has comments.
export const posts = table(
  'posts',
  {
    id: serial().primaryKey(),
    author_id: integer().notNull().references(() => users.columns.id, { onDelete: 'cascade' }).index('ix_posts_author_id'),
    title: varchar(200).notNull(),
    body: text().notNull(),
    published: boolean().notNull().serverDefault(false),
    ...timestamps(),
    slug: varchar(220).notNull(),
  },
  (t) => [unique('uq_posts_slug').on(t.slug)],
);
