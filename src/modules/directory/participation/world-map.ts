import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geoCentroid, geoEqualEarth, geoPath } from 'd3-geo';
import type { Feature, Geometry } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

// Natural Earth through world-atlas (public domain): feature ids are ISO 3166-1 numeric codes,
// which are the M49 codes the `state` table holds ('250' for France).

export interface WorldShape {
  m49: string;
  /** SVG path data in viewBox units, one decimal. */
  d: string;
}

export interface WorldDot {
  m49: string;
  cx: number;
  cy: number;
}

export interface WorldMap {
  /** One outline per country of the 1:110m map that has an ISO numeric id (UN Member States and other territories). */
  shapes: WorldShape[];
  /** A marker for a State too small to see: absent from the 1:110m map (many island States) or under MIN_VISIBLE_AREA. */
  dots: WorldDot[];
  /** Land without an ISO numeric id in Natural Earth, drawn unlabelled so the map has no holes. */
  unidentifiedLand: string;
  /** The outline of the globe in this projection (the sea). */
  sphere: string;
  viewBox: string;
}

const WIDTH = 960;
/** Shapes smaller than this (in viewBox units²; Luxembourg is about 2) also get a dot. */
const MIN_VISIBLE_AREA = 5;

/**
 * Absent even from the 1:50m map, which gives the other small States their position. Funafuti,
 * Tuvalu's capital (179.19° E, 8.52° S).
 */
const FALLBACK_POSITIONS: Record<string, [number, number]> = { '798': [179.19, -8.52] };

type Countries = Topology<{ countries: GeometryCollection<{ name: string }> }>;

const require = createRequire(import.meta.url);

function countries(scale: '110m' | '50m'): Feature<Geometry, { name: string }>[] {
  const topology = JSON.parse(readFileSync(require.resolve(`world-atlas/countries-${scale}.json`), 'utf8')) as Countries;
  return feature(topology, topology.objects.countries).features;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function project(): WorldMap {
  const projection = geoEqualEarth().fitWidth(WIDTH, { type: 'Sphere' });
  const path = geoPath(projection).digits(1);
  const height = Math.ceil(path.bounds({ type: 'Sphere' })[1][1]);

  const shapes: WorldShape[] = [];
  const dots: WorldDot[] = [];
  const unidentified: string[] = [];
  const dot = (m49: string, lonLat: [number, number]) => {
    const [cx, cy] = projection(lonLat) ?? [0, 0];
    dots.push({ m49, cx: round1(cx), cy: round1(cy) });
  };

  const coarse = countries('110m');
  for (const f of coarse) {
    const d = path(f);
    if (!d) continue;
    if (f.id === undefined) unidentified.push(d);
    else {
      const m49 = String(f.id);
      shapes.push({ m49, d });
      if (path.area(f) < MIN_VISIBLE_AREA) dot(m49, geoCentroid(f));
    }
  }
  const drawn = new Set(shapes.map((s) => s.m49));
  for (const f of countries('50m')) {
    if (f.id === undefined || drawn.has(String(f.id))) continue;
    dot(String(f.id), geoCentroid(f));
  }
  for (const [m49, lonLat] of Object.entries(FALLBACK_POSITIONS)) {
    if (!drawn.has(m49) && !dots.some((d) => d.m49 === m49)) dot(m49, lonLat);
  }
  return {
    shapes,
    dots,
    unidentifiedLand: unidentified.join(''),
    sphere: path({ type: 'Sphere' }) ?? '',
    viewBox: `0 0 ${WIDTH} ${height}`,
  };
}

let cached: WorldMap | undefined;

/** The projected world, computed once per process (about 0.1 s, mostly reading the 1:50m file). */
export function worldMap(): WorldMap {
  cached ??= project();
  return cached;
}
