// Reads JSON arrays of MDX documents on stdin (one a line); for each document prints whether
// Mintlify parses it and the values a reader sees on every path the escaper serves: visible text,
// image alt text, code-block titles (Mintlify's meta parser), math, JSX attribute strings, and
// the frontmatter.
import { coreRemark, parseFrontmatter, preprocessCustomHeadingIds, preprocessMdxFragmentCode } from '@mintlify/common';
import { parseMetaString } from '@mintlify/common/parse-code-block-meta';
import { visit } from 'unist-util-visit';
import readline from 'readline';
const remark = coreRemark().freeze(); // one parser for every document (a new one costs ~2 ms)
const check = (doc) => {
  try {
    const tree = remark.parse(preprocessCustomHeadingIds(preprocessMdxFragmentCode(doc)));
    const r = { ok: true, bad: [], text: [], alt: [], codeTitle: [], math: [], attr: {}, frontmatter: null };
    visit(tree, (n) => {
      if (n.type === 'text' || n.type === 'inlineCode') r.text.push(n.value);
      if (n.type === 'image') r.alt.push(n.alt);
      if (n.type === 'code') r.codeTitle.push(parseMetaString(n.meta ?? '').filename);
      if (n.type === 'inlineMath' || n.type === 'math') r.math.push(n.value);
      if (n.type === 'yaml') r.frontmatter = parseFrontmatter(`---\n${n.value}\n---\n`).attributes;
      for (const a of n.attributes ?? []) if (typeof a.value === 'string') (r.attr[a.name] ??= []).push(a.value);
      if (['mdxTextExpression', 'mdxFlowExpression', 'html', 'mdxjsEsm'].includes(n.type)) r.bad.push(n.type);
    });
    r.ok = r.bad.length === 0;
    r.text = r.text.join(' ');
    return r;
  } catch (e) { return { ok: false, error: String(e.reason || e.message).split('\n')[0] }; }
};
// a JSON array of documents a line on stdin, a JSON array of results a line on stdout: one
// process answers a whole test module (starting Node with Mintlify's parser takes ~1 s)
for await (const line of readline.createInterface({ input: process.stdin })) {
  if (line.trim()) console.log(JSON.stringify(JSON.parse(line).map(check)));
}
