// Summarises a V8 .cpuprofile (from `BENCH_PROFILE=<dir> npm run bench`, or any `node --cpu-prof`):
//   npx tsx bench/cpu-profile-summary.ts <file.cpuprofile> [top=30]
// Prints where the samples fell: by owner (a package under node_modules, a folder of src/, Node
// internals, GC, idle), the functions with the most self time, and the inclusive time of the
// functions whose name matches BENCH_FOCUS (a regular expression), if set.
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: cpu-profile-summary.ts <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

function owner(frame: CallFrame): string {
  const name = frame.functionName;
  if (name === '(idle)' || name === '(garbage collector)' || name === '(program)') return name;
  const url = frame.url;
  if (!url) return '(native / V8)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  const src = /\/(src\/[^/]+)\//.exec(url);
  if (src) return src[1]!;
  if (url.startsWith('node:')) return 'node internals';
  return url.replace(/^file:\/\//, '');
}
function label(frame: CallFrame): string {
  const where = frame.url.replace(/^file:\/\/.*?(node_modules\/|src\/)/, '$1');
  return `${frame.functionName || '(anonymous)'}  ${where ? `${where}:${frame.lineNumber + 1}` : ''}`;
}
const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;

const owners = new Map<string, number>();
const functions = new Map<string, number>();
for (const [id, us] of selfUs) {
  const frame = byId.get(id)!.callFrame;
  owners.set(owner(frame), (owners.get(owner(frame)) ?? 0) + us);
  functions.set(label(frame), (functions.get(label(frame)) ?? 0) + us);
}

const busy = total - (owners.get('(idle)') ?? 0);
process.stdout.write(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${((100 * busy) / total).toFixed(0)}% busy\n\nSelf time by owner:\n`);
for (const [name, us] of [...owners].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`  ${pct(us)}  ${name}\n`);
process.stdout.write(`\nTop ${top} functions by self time:\n`);
for (const [name, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`  ${pct(us)}  ${name}\n`);

const focus = process.env.BENCH_FOCUS;
if (focus) {
  // Inclusive time: a sample counts once for each distinct matching function on its stack.
  const re = new RegExp(focus);
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const frame = byId.get(n)!.callFrame;
      const l = label(frame);
      if (!seen.has(l) && re.test(l)) {
        seen.add(l);
        inclusive.set(l, (inclusive.get(l) ?? 0) + us);
      }
    }
  }
  process.stdout.write(`\nInclusive time of functions matching /${focus}/:\n`);
  for (const [name, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`  ${pct(us)}  ${name}\n`);
}
