import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { worldMap } from './world-map.ts';

const members = JSON.parse(readFileSync(new URL('../../../db/reference/un-member-states.json', import.meta.url), 'utf8')) as { iso3: string; m49: string }[];

test('every one of the 193 Member States is on the map, as a shape or a dot', () => {
  assert.equal(members.length, 193);
  const map = worldMap();
  const shaped = new Set(map.shapes.map((s) => s.m49));
  const dotted = new Set(map.dots.map((d) => d.m49));
  const missing = members.filter((s) => !shaped.has(s.m49) && !dotted.has(s.m49)).map((s) => s.iso3);
  assert.deepEqual(missing, []);
  // Island States absent from the 1:110m map are dots; large States are shapes.
  for (const iso3 of ['MDV', 'TUV', 'KIR', 'SGP', 'MLT']) assert.ok(dotted.has(members.find((s) => s.iso3 === iso3)!.m49), `${iso3} is a dot`);
  for (const iso3 of ['FRA', 'KEN', 'BRA', 'CHN', 'RUS', 'FJI']) assert.ok(shaped.has(members.find((s) => s.iso3 === iso3)!.m49), `${iso3} is a shape`);
});

test('shapes and dots lie inside the viewBox, with coordinates rounded to one decimal', () => {
  const map = worldMap();
  const [, , width, height] = map.viewBox.split(' ').map(Number) as [number, number, number, number];
  assert.equal(width, 960);
  assert.ok(height > 400 && height < 500, `height ${height}`);
  for (const dot of map.dots) {
    assert.ok(dot.cx >= 0 && dot.cx <= width && dot.cy >= 0 && dot.cy <= height, `dot ${dot.m49} at ${dot.cx},${dot.cy}`);
  }
  for (const shape of map.shapes) {
    assert.doesNotMatch(shape.d, /\.\d\d/, `shape ${shape.m49} has more than one decimal`);
    for (const n of shape.d.match(/-?\d+(\.\d)?/g)!.map(Number)) assert.ok(n >= -1 && n <= width + 1, `shape ${shape.m49}: ${n}`);
  }
  // Rough places: Kenya east of France and south of it (the y axis points down).
  // The mean of a shape's points is enough to tell the continents apart.
  const centre = (iso3: string) => {
    const d = map.shapes.find((s) => s.m49 === members.find((m) => m.iso3 === iso3)!.m49)!.d;
    const points = [...d.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    return { x: points.reduce((a, p) => a + p[0], 0) / points.length, y: points.reduce((a, p) => a + p[1], 0) / points.length };
  };
  assert.ok(centre('KEN').y > centre('FRA').y + 50, 'Kenya south of France');
  assert.ok(centre('KEN').x > centre('FRA').x, 'Kenya east of France');
  assert.ok(centre('BRA').x < centre('FRA').x - 100, 'Brazil west of France');
  assert.ok(centre('JPN').x > centre('CHN').x, 'Japan east of China');
});

test('computed once per process', () => {
  assert.equal(worldMap(), worldMap());
});

// The bare drawing (every shape and dot, no names) measured; the page's SVG with names in the six
// languages is measured in participation.test.ts. At the time of writing: about 118 KB.
const bare = (() => {
  const map = worldMap();
  return `<svg viewBox="${map.viewBox}"><path d="${map.sphere}"/><path d="${map.unidentifiedLand}"/>${map.shapes.map((s) => `<path d="${s.d}"/>`).join('')}${map.dots
    .map((d) => `<circle cx="${d.cx}" cy="${d.cy}" r="3"/>`)
    .join('')}</svg>`;
})();

test(`the bare map is ${Math.round(Buffer.byteLength(bare) / 1024)} KB, well under 200 KB`, () => {
  assert.ok(Buffer.byteLength(bare) < 150_000);
});
