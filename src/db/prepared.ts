import type { CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * A query on the hot path of every request, built and compiled once per database instead of on
 * every call (Kysely's builder costs more than SQLite's execution of an indexed read). `build`
 * receives a placeholder for each parameter; the values given at call time replace them, in order.
 */
export function preparedQuery<Params extends unknown[], Row>(
  build: (db: Kysely<Database>, ...placeholders: Params) => { compile(): CompiledQuery<Row> },
  placeholders: Params,
): (db: Kysely<Database>, ...params: Params) => Promise<Row[]> {
  const compiled = new WeakMap<Kysely<Database>, CompiledQuery<Row>>();
  return async (db, ...params) => {
    let query = compiled.get(db);
    if (!query) {
      query = build(db, ...placeholders).compile();
      if (query.parameters.length !== params.length) throw new Error('prepared query: parameter count differs from placeholders');
      compiled.set(db, query);
    }
    return (await db.executeQuery<Row>({ ...query, parameters: params })).rows;
  };
}
