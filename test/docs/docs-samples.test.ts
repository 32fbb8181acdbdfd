/**
 * Compiles every TypeScript sample in the README and docs/ with the project's compiler
 * options, so the documentation cannot drift from the API.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = join(root, '.tmp', 'doc-samples');

/** Names the samples use without declaring them (the spec's own examples do this too). */
const PRELUDE = `export {};
declare global {
  function fetchUser(id: string): Promise<{ id: string }>;
  function fetchFlags(): Promise<{ rollout: number }>;
}
`;

interface Sample {
  doc: string;
  line: number;
  file: string;
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

function extractSamples(): Sample[] {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'prelude.d.ts'), PRELUDE);
  const samples: Sample[] = [];
  for (const doc of [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))]) {
    const lines = readFileSync(doc, 'utf8').split('\n');
    let start = -1;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (start < 0 && /^```(typescript|ts)\s*$/.test(line)) start = i + 1;
      else if (start >= 0 && line.startsWith('```')) {
        // Each doc gets a folder and each sample is its own module; a sample whose first
        // line is `// file: name.ts` is written under that name, for its siblings to import.
        const dir = join(outDir, relative(root, doc).replace(/[\\/.]/g, '_'));
        const named = /^\/\/ file: (\S+\.ts)$/.exec(lines[start] ?? '');
        const file = join(dir, named?.[1] ?? `line-${start + 1}.ts`);
        mkdirSync(dir, { recursive: true });
        writeFileSync(file, `${lines.slice(start, i).join('\n')}\nexport {};\n`);
        samples.push({ doc: relative(root, doc), line: start + 1, file });
        start = -1;
      }
    }
  }
  return samples;
}

describe('documentation samples', () => {
  const samples = extractSamples();

  it('finds the samples', () => {
    expect(samples.length).toBeGreaterThan(15);
  });

  it('all compile', () => {
    const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
    const program = ts.createProgram({
      rootNames: [join(outDir, 'prelude.d.ts'), ...samples.map((s) => s.file)],
      options: { ...parsed.options, noEmit: true, noUnusedLocals: false },
    });
    const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const sample = samples.find((s) => s.file === diagnostic.file?.fileName);
      const where =
        diagnostic.file && diagnostic.start !== undefined
          ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line
          : 0;
      const location = sample ? `${sample.doc}:${sample.line + where}` : diagnostic.file?.fileName;
      return `${location}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    });
    expect(problems).toEqual([]);
  }, 60_000);
});
