// @mintlify/link-rot's getBrokenRedirects (what `mint broken-links --check-redirects` adds):
// docs.json redirects whose destination is not a page of the site.
import { getBrokenRedirects } from '@mintlify/link-rot';
import path from "path";
const root = path.resolve(process.argv[2]);
process.chdir(root);
const broken = await getBrokenRedirects(root);
console.log(JSON.stringify(broken.map(({ source, destination }) => `${source} -> ${destination}`)));
