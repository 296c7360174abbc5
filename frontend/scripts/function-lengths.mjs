// Reports every function (declaration, expression, arrow function, method) in the .ts/.tsx files under a
// directory (default: src) that is longer than a limit (default 120 lines, from the line it starts on to
// the line it ends on, inclusive), as `file:line name length`, and exits 1 if there is any.
// Usage: node scripts/function-lengths.mjs [directory] [--max N]
// TypeScript 7's compiler API runs its parser in the bundled tsc process; files outside a tsconfig.json
// are parsed in an inferred project, so any directory can be checked.
import { readdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { API } from "typescript/unstable/sync";
import { SyntaxKind } from "typescript/unstable/ast";

const FUNCTION_KINDS = new Set([
  SyntaxKind.FunctionDeclaration,
  SyntaxKind.FunctionExpression,
  SyntaxKind.ArrowFunction,
  SyntaxKind.MethodDeclaration,
  SyntaxKind.Constructor,
  SyntaxKind.GetAccessor,
  SyntaxKind.SetAccessor,
]);

function parseArgs(argv) {
  const frontend = fileURLToPath(new URL("..", import.meta.url));
  let dir = join(frontend, "src");
  let max = 120;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--max") max = Number(argv[++i]);
    else dir = resolve(argv[i]);
  }
  if (!Number.isInteger(max) || max < 1) throw new Error("--max needs a positive whole number");
  return { dir, max };
}

function sourceFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts"))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

// A function's own name, else the name it is assigned to (`const Now = () => …`, `{ onClick: () => … }`).
function nameOf(node, sourceFile) {
  if (node.kind === SyntaxKind.Constructor) return "constructor";
  const named = node.name ? node : node.parent;
  return named.name ? named.name.getText(sourceFile) : "<anonymous>";
}

function longFunctions(sourceFile, max) {
  const found = [];
  const lineOf = (pos) => sourceFile.getLineAndCharacterOfPosition(pos).line + 1;
  const visit = (node) => {
    if (FUNCTION_KINDS.has(node.kind)) {
      const start = lineOf(node.getStart(sourceFile));
      const length = lineOf(node.end) - start + 1;
      if (length > max) found.push({ line: start, name: nameOf(node, sourceFile), length });
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  return found;
}

const { dir, max } = parseArgs(process.argv.slice(2));
const files = sourceFiles(dir);
const api = new API({ cwd: dir });
let failures = 0;
try {
  const snapshot = api.updateSnapshot({ openFiles: files });
  for (const file of files) {
    const sourceFile = snapshot.getDefaultProjectForFile(file).program.getSourceFile(file);
    for (const { line, name, length } of longFunctions(sourceFile, max)) {
      console.log(`${relative(process.cwd(), file)}:${line} ${name} ${length}`);
      failures++;
    }
  }
} finally {
  api.close();
}
if (failures) {
  console.log(`${failures} function(s) longer than ${max} lines`);
  process.exit(1);
}
