#!/usr/bin/env node
// Fails when the import graph of src/ has a cycle (type-only imports included): prints each cycle.
// Usage: node scripts/check-cycles.mjs [dir]   (default: src)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? 'src');
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.(ts|mts|cts)$/.test(name) && !name.endsWith('.d.ts')) files.push(path);
  }
};
walk(root);

const specifier =
  /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const edges = new Map();
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const targets = new Set();
  for (const match of text.matchAll(specifier)) {
    const spec = match[1] ?? match[2];
    if (!spec.startsWith('.')) continue;
    const target = resolve(dirname(file), spec.replace(/\.(m|c)?js$/, '.$1ts'));
    if (files.includes(target)) targets.add(target);
    else if (files.includes(`${target}.ts`)) targets.add(`${target}.ts`);
    else if (files.includes(join(target, 'index.ts'))) targets.add(join(target, 'index.ts'));
  }
  edges.set(file, [...targets]);
}

// Tarjan's strongly connected components: any component of more than one file is a cycle.
let index = 0;
const stack = [];
const state = new Map();
const cycles = [];
const visit = (file) => {
  const node = { index, low: index, onStack: true };
  index++;
  state.set(file, node);
  stack.push(file);
  for (const next of edges.get(file)) {
    const seen = state.get(next);
    if (seen === undefined) {
      visit(next);
      node.low = Math.min(node.low, state.get(next).low);
    } else if (seen.onStack) node.low = Math.min(node.low, seen.index);
    if (next === file) cycles.push([file]);
  }
  if (node.low === node.index) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      state.get(member).onStack = false;
      component.push(member);
    } while (member !== file);
    if (component.length > 1) cycles.push(component);
  }
};
for (const file of files) if (!state.has(file)) visit(file);

const show = (file) => relative(process.cwd(), file);
if (cycles.length > 0) {
  for (const cycle of cycles) console.error(`import cycle: ${cycle.map(show).join(' <-> ')}`);
  process.exit(1);
}
console.log(`no import cycles in ${files.length} files under ${show(root)}`);
