// Reads a JSON array of MDX documents on stdin; for each prints whether Mintlify's parser
// accepts it and the visible text of the parsed tree (text, inline code and code values, in order).
import { coreRemark, preprocessCustomHeadingIds, preprocessMdxFragmentCode } from '@mintlify/common';
import { visit } from 'unist-util-visit';
import fs from 'fs';
const textOf = (md) => { const parts = []; visit(coreRemark().parse(md), (n) => { if (n.type === 'text' || n.type === 'inlineCode') parts.push(n.value); }); return parts.join(''); };
const docs = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = docs.map((doc) => {
  try {
    const tree = coreRemark().parse(preprocessCustomHeadingIds(preprocessMdxFragmentCode(doc)));
    const parts = []; const bad = [];
    visit(tree, (n) => {
      if (n.type === 'text' || n.type === 'inlineCode' || n.type === 'code') parts.push(n.value);
      // titles are Markdown to Mintlify: their visible text is the text of the parsed value
      for (const a of n.attributes ?? []) if (a.name === 'title' && typeof a.value === 'string') parts.push(textOf(a.value));
      if (['mdxTextExpression', 'mdxFlowExpression', 'inlineMath', 'math', 'html', 'mdxjsEsm'].includes(n.type)) bad.push(n.type);
    });
    return { ok: bad.length === 0, bad, text: parts.join(' ') };
  } catch (e) { return { ok: false, error: String(e.reason || e.message).split('\n')[0], text: '' }; }
});
console.log(JSON.stringify(out));
