import type { CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.ts';

type Compilable<Row> = { compile(): CompiledQuery<Row> };

/**
 * The compiled form of a query depends only on the SQL dialect, which a database and all of its
 * transactions share (one adapter per Kysely instance, handed down to its transactions): compiled
 * queries are kept per adapter, so one compiled in a transaction serves the next.
 */
function perDialect<Compiled>(): (db: Kysely<Database>, make: () => Compiled) => Compiled {
  const byAdapter = new WeakMap<object, Compiled>();
  return (db, make) => {
    const adapter = db.getExecutor().adapter;
    let compiled = byAdapter.get(adapter);
    if (compiled === undefined) {
      compiled = make();
      byAdapter.set(adapter, compiled);
    }
    return compiled;
  };
}

function compileWith<Row>(query: Compilable<Row>, count: number): CompiledQuery<Row> {
  const compiled = query.compile();
  if (compiled.parameters.length !== count) throw new Error(`prepared query: ${compiled.parameters.length} parameters compiled for ${count} given`);
  return compiled;
}

/**
 * A query on the hot path of a request, built and compiled once per dialect instead of on every
 * call (Kysely's builder costs more than SQLite's execution of an indexed read). `build` receives
 * a placeholder for each parameter; the values given at call time replace them, in order, so the
 * query's shape must not depend on the values.
 */
export function preparedQuery<Params extends unknown[], Row>(
  build: (db: Kysely<Database>, ...placeholders: Params) => Compilable<Row>,
  placeholders: Params,
): (db: Kysely<Database>, ...params: Params) => Promise<Row[]> {
  const compiled = perDialect<CompiledQuery<Row>>();
  return async (db, ...params) => {
    const query = compiled(db, () => compileWith(build(db, ...placeholders), params.length));
    return (await db.executeQuery<Row>({ ...query, parameters: params })).rows;
  };
}

/** Lists longer than this are compiled on each call rather than kept. */
const KEPT_LENGTHS = 256;

/**
 * A prepared query over a list of values (`where id in (…)`) and nothing else: compiled once per
 * dialect and list length. The list must be the query's only parameters.
 */
export function preparedListQuery<Row>(build: (db: Kysely<Database>, values: readonly string[]) => Compilable<Row>): (db: Kysely<Database>, values: readonly string[]) => Promise<Row[]> {
  const compiled = perDialect<Map<number, CompiledQuery<Row>>>();
  return async (db, values) => {
    const byLength = compiled(db, () => new Map());
    let query = byLength.get(values.length);
    if (!query) {
      query = compileWith(build(db, values), values.length);
      if (values.length <= KEPT_LENGTHS) byLength.set(values.length, query);
    }
    return (await db.executeQuery<Row>({ ...query, parameters: values })).rows;
  };
}
