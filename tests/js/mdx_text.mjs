// Reads JSON arrays of MDX documents on stdin (one a line); for each document prints whether
// Mintlify's parser accepts it and the visible text of the parsed tree (text, inline code and code values, in order).
import { coreRemark, preprocessCustomHeadingIds, preprocessMdxFragmentCode } from '@mintlify/common';
import { visit } from 'unist-util-visit';
import readline from 'readline';
const remark = coreRemark().freeze(); // one parser for every document (a new one costs ~2 ms)
const textOf = (md) => { const parts = []; visit(remark.parse(md), (n) => { if (n.type === 'text' || n.type === 'inlineCode') parts.push(n.value); }); return parts.join(''); };
const check = (doc) => {
  try {
    const tree = remark.parse(preprocessCustomHeadingIds(preprocessMdxFragmentCode(doc)));
    const parts = []; const bad = [];
    visit(tree, (n) => {
      if (n.type === 'text' || n.type === 'inlineCode' || n.type === 'code') parts.push(n.value);
      // titles are Markdown to Mintlify: their visible text is the text of the parsed value
      for (const a of n.attributes ?? []) if (a.name === 'title' && typeof a.value === 'string') parts.push(textOf(a.value));
      if (['mdxTextExpression', 'mdxFlowExpression', 'inlineMath', 'math', 'html', 'mdxjsEsm'].includes(n.type)) bad.push(n.type);
    });
    return { ok: bad.length === 0, bad, text: parts.join(' ') };
  } catch (e) { return { ok: false, error: String(e.reason || e.message).split('\n')[0], text: '' }; }
};
// a JSON array of documents a line on stdin, a JSON array of results a line on stdout: one
// process answers a whole test module (starting Node with Mintlify's parser takes ~1 s)
for await (const line of readline.createInterface({ input: process.stdin })) {
  if (line.trim()) console.log(JSON.stringify(JSON.parse(line).map(check)));
}
