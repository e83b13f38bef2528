// Renders every .mdx page under ROOT through Mintlify's compiler (getMdx) and React, and prints
// {"page.mdx": [ids of the rendered page's elements]}. Mintlify's own React components are not
// in the npm packages: each is a stub that keeps its `id` exactly as @mintlify/common documents
// (COMPONENTS_WITH_RAW_ID as is, COMPONENTS_WITH_CLEANED_ID through cleanHeadingId, the rest
// none). Plain elements (<span id>) are rendered by React itself.
import { getMdx } from '@mintlify/common/server-mdx';
import { cleanHeadingId, COMPONENTS_WITH_CLEANED_ID, COMPONENTS_WITH_RAW_ID, parseFrontmatter } from '@mintlify/common';
import * as runtime from 'react/jsx-runtime';
import { renderToStaticMarkup } from 'react-dom/server';
import fs from 'fs';
import path from 'path';
import { mdxFiles } from './mdx_files.mjs';

const root = path.resolve(process.argv[2] || '.');
const stub = (name) => (props) => {
  const id = COMPONENTS_WITH_RAW_ID.has(name) ? props.id
    : COMPONENTS_WITH_CLEANED_ID.has(name) && props.id ? cleanHeadingId(String(props.id)) : undefined;
  return runtime.jsx('div', { id, children: props.children });
};
const out = {};
const files = mdxFiles(root);
const saved = [console.warn, console.log, console.error];
console.warn = console.log = console.error = () => {};
for (const file of files) {
  const { body, attributes } = parseFrontmatter(fs.readFileSync(file, 'utf8'));
  const res = await getMdx({ path: '/' + path.relative(root, file), content: body, metadata: attributes, snippets: [], subdomain: 'check', codeStyling: 'dark', config: {} });
  const code = res.mdxSource.compiledSource;
  const names = new Set([...code.matchAll(/_missingMdxReference\("(\w+)"/g)].map((m) => m[1]));
  const components = Object.fromEntries([...names].map((name) => [name, stub(name)]));
  const { default: Content } = new Function(code)({ ...runtime, useMDXComponents: () => components });
  const html = renderToStaticMarkup(runtime.jsx(Content, { components }));
  out[path.relative(root, file)] = [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);
}
[console.warn, console.log, console.error] = saved;
console.log(JSON.stringify(out));
