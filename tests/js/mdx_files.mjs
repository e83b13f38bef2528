// The .mdx files under a directory, recursively, sorted: the pages the check scripts read.
import fs from 'fs';
import path from 'path';

export function mdxFiles(root) {
  const files = [];
  (function walk(dir) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p); else if (e.name.endsWith('.mdx')) files.push(p);
    }
  })(root);
  return files.sort();
}
