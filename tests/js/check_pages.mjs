// Mintlify's own pipeline over every .mdx page under ROOT: @mintlify/common's coreRemark after
// its heading-id preprocessing, then the full getMdx render. Prints one JSON report:
// {"pages": N, "problems": {"path.mdx": ["PARSE ERROR 3:4 ...", ...]}}.
// Also flags JSX that Mintlify would drop, JS expressions and $…$ math, which parse but lose text.
import { getMdx } from '@mintlify/common/server-mdx';
import { allowedComponents, coreRemark, preprocessCustomHeadingIds, preprocessMdxFragmentCode, parseFrontmatter } from '@mintlify/common';
import { visit } from 'unist-util-visit';
import fs from 'fs';
import path from 'path';
import { mdxFiles } from './mdx_files.mjs';

const root = path.resolve(process.argv[2] || '.');
const files = mdxFiles(root);
const known = new Set(allowedComponents);
const problems = {};
const quiet = () => {
  const saved = [console.warn, console.log, console.error]; const msgs = [];
  console.warn = console.log = console.error = (...a) => msgs.push(a.map(x => (x && x.message) || String(x)).join(' '));
  return () => { [console.warn, console.log, console.error] = saved; return msgs; };
};
for (const file of files) {
  const rel = path.relative(root, file); const raw = fs.readFileSync(file, 'utf8'); const out = [];
  let tree;
  try { tree = coreRemark().parse(preprocessCustomHeadingIds(preprocessMdxFragmentCode(raw))); }
  catch (e) { out.push(`PARSE ERROR ${e.line ?? '?'}:${e.column ?? '?'} ${String(e.reason || e.message).split('\n')[0]}`); }
  if (tree) {
    visit(tree, (n) => {
      const line = n.position?.start.line;
      if ((n.type === 'mdxJsxFlowElement' || n.type === 'mdxJsxTextElement') && n.name && !known.has(n.name))
        out.push(`UNKNOWN ELEMENT <${n.name}> at line ${line}`);
      if (n.type === 'mdxTextExpression' || n.type === 'mdxFlowExpression') out.push(`EXPRESSION {${n.value.slice(0, 40)}} at line ${line}`);
      if (n.type === 'inlineMath' || n.type === 'math') out.push(`MATH at line ${line}`);
      if (n.type === 'html') out.push(`HTML ${n.value.slice(0, 40)} at line ${line}`);
    });
    const restore = quiet(); let res;
    try {
      const { body, attributes } = parseFrontmatter(raw);
      res = await getMdx({ path: '/' + rel.replace(/\.mdx$/, ''), content: body, metadata: attributes, snippets: [], subdomain: 'check', codeStyling: 'dark', config: {} });
    } catch (e) { res = { threw: e.message }; }
    const msgs = restore();
    if (res.threw) out.push(`RENDER THREW ${res.threw}`);
    if (res.parseFailed) out.push('RENDER PARSE FAILED');
    // Tailwind's "no utility classes" notice comes from the renderer's CSS setup, not the page.
    for (const m of new Set(msgs)) if (m.trim() && !/No utility classes were detected|tailwindcss\.com\/docs\/content-configuration/.test(m)) out.push('RENDER WARNING ' + m.split('\n')[0].slice(0, 300));
  }
  if (out.length) problems[rel] = out;
}
console.log(JSON.stringify({ pages: files.length, problems }));
