import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';
import madge from 'madge';

/**
 * The shape of the code, measured on the tree (docs/architecture.md): no import circle,
 * areas import only downwards, thin transports, few and explained `any`, aliases into libs,
 * and nothing test-only in what the build compiles.
 */
const root = resolve(__dirname, '..', '..');

/** apps/ledger/src areas, lowest floor first: an area may import its own floor and those below. */
const FLOORS = [
  'core', 'accounts', 'config', 'carriers', 'numbers', 'services', 'audits', 'billing', 'tasks',
  'log', 'sweeper', 'operations', 'http', 'grpc', '(root)',
];
const UPWARD_IMPORTS_ALLOWED = 2;
const ANY_ALLOWED = 10;

function sourceFiles(dir: string, keep: (path: string) => boolean = () => true): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (name === 'node_modules' || name === 'dist') continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts') && keep(p)) out.push(p);
    }
  };
  walk(join(root, dir));
  return out;
}

const isTestCode = (p: string) => /\.spec\.ts$/.test(p) || /[/\\]libs[/\\][^/\\]+[/\\]test[/\\]/.test(p) || relative(root, p).startsWith(`test${sep}`);
const production = () => ['apps', 'libs', 'bench'].flatMap((d) => sourceFiles(d, (p) => !isTestCode(p)));
const importsOf = (file: string) => ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((i) => i.fileName);

describe('architecture (issue 13, docs/architecture.md)', () => {
  it('has no import circle in apps/ or libs/', async () => {
    const graph = await madge(['apps', 'libs'].map((d) => join(root, d)), {
      baseDir: root, tsConfig: join(root, 'tsconfig.json'), fileExtensions: ['ts'], excludeRegExp: [/\.spec\.ts$/],
    });
    expect(graph.circular()).toEqual([]);
  });

  it(`has at most ${UPWARD_IMPORTS_ALLOWED} imports that run up the floors of apps/ledger`, () => {
    const appRoot = join(root, 'apps', 'ledger', 'src');
    const area = (p: string) => {
      const parts = relative(appRoot, p).split(sep);
      return parts.length > 1 ? parts[0] : '(root)';
    };
    const upward: string[] = [];
    for (const file of sourceFiles('apps/ledger/src', (p) => !isTestCode(p))) {
      for (const spec of importsOf(file).filter((s) => s.startsWith('.'))) {
        const target = resolve(dirname(file), spec);
        if (relative(appRoot, target).startsWith('..')) continue;
        const [from, to] = [FLOORS.indexOf(area(file)), FLOORS.indexOf(area(target))];
        expect({ file: relative(root, file), floor: from }).not.toEqual({ file: relative(root, file), floor: -1 });
        if (to > from) upward.push(`${relative(root, file)} -> ${spec}`);
      }
    }
    expect(upward.length <= UPWARD_IMPORTS_ALLOWED ? [] : upward).toEqual([]);
  });

  it('has no transport borrowing another transport through ModuleRef', () => {
    const borrowing = production().filter((f) => /ModuleRef|\.get\(\s*\w+Controller\b/.test(readFileSync(f, 'utf8')));
    expect(borrowing.map((f) => relative(root, f))).toEqual([]);
  });

  it(`has at most ${ANY_ALLOWED} \`any\` in non-test source, each with a comment saying why`, () => {
    const found: { at: string; explained: boolean }[] = [];
    for (const file of production()) {
      const text = readFileSync(file, 'utf8');
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
      const lines = text.split('\n');
      const visit = (node: ts.Node) => {
        if (node.kind === ts.SyntaxKind.AnyKeyword) {
          const line = source.getLineAndCharacterOfPosition(node.getStart()).line;
          const explained = /\/\/|\/\*/.test(lines[line]) || /^\s*(\/\/|\*|\/\*)/.test(lines[line - 1] ?? '');
          found.push({ at: `${relative(root, file)}:${line + 1}`, explained });
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(found.filter((f) => !f.explained)).toEqual([]);
    expect(found.length <= ANY_ALLOWED ? [] : found.map((f) => f.at)).toEqual([]);
  });

  it('reaches libs/ from apps/, bench/ and test/ only through the @ledger aliases', () => {
    const relativeIntoLibs: string[] = [];
    for (const file of ['apps', 'bench', 'test'].flatMap((d) => sourceFiles(d))) {
      for (const spec of importsOf(file).filter((s) => s.startsWith('.'))) {
        if (relative(root, resolve(dirname(file), spec)).split(sep)[0] === 'libs') relativeIntoLibs.push(`${relative(root, file)} -> ${spec}`);
      }
    }
    expect(relativeIntoLibs).toEqual([]);
  });

  it('compiles no test server, fixture or spec into dist', () => {
    const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.build.json'), {}, {
      ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
    });
    const program = ts.createProgram({ rootNames: config!.fileNames, options: { ...config!.options, noEmit: true, noResolve: false } });
    const compiled = program.getSourceFiles().map((s) => s.fileName).filter((f) => !f.includes('node_modules'));
    expect(compiled.filter(isTestCode).map((f) => relative(root, f))).toEqual([]);
    expect(compiled.length).toBeGreaterThan(200);
  });
});
