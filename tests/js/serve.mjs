// Runs the other scripts here again and again in one Node process, so Mintlify's packages load
// once a test session instead of once a call (2-3 s each). One request a line on stdin,
// {"script": "check_pages.mjs", "args": ["/abs/dir"]}; one answer a line on stdout, after the
// marker: {"out": <the last JSON line the script printed>} or {"error": "<stack>"}.
// Each request imports the script afresh (a new URL), with its argv; its packages stay loaded.
import path from 'path';
import readline from 'readline';
import { pathToFileURL } from 'url';

const MARKER = '@@serve ';
const here = path.dirname(new URL(import.meta.url).pathname);
const answer = process.stdout.write.bind(process.stdout);
let runs = 0;
for await (const line of readline.createInterface({ input: process.stdin })) {
  const { script, args } = JSON.parse(line);
  const [log, argv, cwd] = [console.log, process.argv, process.cwd()];
  const printed = [];
  console.log = (...parts) => printed.push(parts.join(' '));
  process.argv = [argv[0], path.join(here, script), ...args];
  let reply;
  try {
    await import(`${pathToFileURL(path.join(here, script))}?run=${++runs}`);
    reply = { out: JSON.parse(printed.at(-1)) };
  } catch (e) {
    reply = { error: String((e && e.stack) || e) };
  } finally {
    [console.log, process.argv] = [log, argv];
    process.chdir(cwd);
  }
  answer(MARKER + JSON.stringify(reply) + '\n');
}
