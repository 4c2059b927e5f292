import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  // Every table file, wherever its module keeps it: the schema has no central list to forget.
  schema: './src/**/*.tables.ts',
  out: './drizzle',
});
