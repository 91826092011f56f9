import { defineConfig } from 'retort-migrate';

// The example runs on a SQLite file next to this config by default.
// Point it at PostgreSQL with:  RETORT_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/blog npx retort upgrade head
export default defineConfig({
  url: 'sqlite:///blog.db',
  migrations: 'migrations',
  models: ['models/*.ts'],
});
