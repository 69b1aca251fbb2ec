// Parses each fix script with the tree-sitter PowerShell grammar and fails on any ERROR or MISSING
// node; then checks every command the script runs, and every parameter it passes (named or splatted),
// against cmdlets.json, a table of the real cmdlets and parameters taken from Microsoft's documentation.
// Usage: node check.mjs cmdlets.json SCRIPT.ps1...
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
const [tablePath, ...scripts] = process.argv.slice(2);
if (!tablePath || scripts.length === 0) {
  console.error('usage: node check.mjs cmdlets.json SCRIPT.ps1...');
  process.exit(2);
}
const table = JSON.parse(readFileSync(tablePath, 'utf8'));
const commands = new Map();
for (const [name, entry] of Object.entries(table.commands)) {
  commands.set(name.toLowerCase(), new Set(entry.parameters.map((p) => p.toLowerCase())));
}
const common = new Set(table.common_parameters.map((p) => p.toLowerCase()));

await Parser.init();
const language = await Language.load(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'));
const parser = new Parser();
parser.setLanguage(language);

function* walk(node) {
  yield node;
  for (const child of node.children) yield* walk(child);
}

const where = (file, node) => `${file}:${node.startPosition.row + 1}:${node.startPosition.column + 1}`;

let problems = 0;
const problem = (message) => {
  console.error(message);
  problems += 1;
};

for (const file of scripts) {
  const tree = parser.parse(readFileSync(file, 'utf8'));
  const functions = new Set();
  for (const node of walk(tree.rootNode)) {
    if (node.type === 'ERROR') {
      problem(`${where(file, node)}: syntax error near ${JSON.stringify(node.text.slice(0, 60))}`);
    }
    else if (node.isMissing) problem(`${where(file, node)}: missing ${node.type}`);
    if (node.type === 'function_statement') {
      const name = node.children.find((c) => c.type === 'function_name');
      if (name) functions.add(name.text.toLowerCase());
    }
  }
  // A splat's keys are the parameters of the command that uses it: the hash last assigned to it.
  const splats = new Map();
  for (const node of walk(tree.rootNode)) {
    if (node.type === 'assignment_expression') {
      const left = node.namedChildren[0];
      const value = node.namedChildren.at(-1);
      const hash = value && [...walk(value)].find((n) => n.type === 'hash_literal_body');
      if (left && hash && value.text.trimStart().startsWith('@{')) {
        const keys = hash.namedChildren
          .filter((e) => e.type === 'hash_entry')
          .map((e) => e.namedChildren[0].text.replace(/^['"]|['"]$/g, ''));
        splats.set(left.text.replace(/^\$/, '').toLowerCase(), keys);
      }
      continue;
    }
    if (node.type !== 'command') continue;
    const nameNode = node.childForFieldName('command_name') ?? node.namedChildren[0];
    const name = nameNode.text;
    if (nameNode.type !== 'command_name') continue;  // an invoked script block: its commands are checked on their own
    const key = name.toLowerCase();
    if (functions.has(key)) continue;  // defined by the script itself
    const known = commands.get(key);
    if (!known) {
      problem(`${where(file, nameNode)}: ${name} is not in the table of known commands`);
      continue;
    }
    const elements = node.children.find((c) => c.type === 'command_elements');
    if (!elements) continue;
    const used = [];
    for (const e of elements.children) {
      if (e.type === 'command_parameter') used.push([e, e.text.replace(/^-/, '').replace(/:$/, '')]);
      for (const v of walk(e))
        if (v.type === 'variable' && v.text.startsWith('@')) {
          const keys = splats.get(v.text.slice(1).toLowerCase());
          if (!keys) problem(`${where(file, v)}: ${v.text} splats a variable the script never assigns a hash to`);
          else for (const k of keys) used.push([v, k]);
        }
    }
    for (const [at, parameter] of used)
      if (!known.has(parameter.toLowerCase()) && !common.has(parameter.toLowerCase()))
        problem(`${where(file, at)}: ${name} has no parameter -${parameter}`);
  }
}
if (problems > 0) {
  console.error(`${problems} problem(s) in ${scripts.length} script(s)`);
  process.exit(1);
}
console.log(`${scripts.length} script(s) parse, and use only known commands and parameters`);
