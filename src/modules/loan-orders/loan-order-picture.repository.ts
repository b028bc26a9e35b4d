import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';

type Db = Kysely<Database>;

type PictureCategory = Awaited<ReturnType<typeof readPictureCategories>>[number];
const pictureCategories = new WeakMap<Db, Promise<PictureCategory[]>>();

function readPictureCategories(db: Db) {
  return db.selectFrom('picture_categories').selectAll().orderBy('sort').execute();
}

/** Reference data that only a migration changes: read once per database handle. */
export function listPictureCategories(db: Db): Promise<PictureCategory[]> {
  let categories = pictureCategories.get(db);
  if (!categories) {
    categories = readPictureCategories(db);
    pictureCategories.set(db, categories);
  }
  return categories;
}
