// @mintlify/link-rot, the engine of `mint broken-links`, with anchors checked.
import { getBrokenInternalLinks } from '@mintlify/link-rot';
const root = process.argv[2];
process.chdir(root);
const broken = await getBrokenInternalLinks(root, { checkAnchors: true });
console.log(JSON.stringify(broken.map(b => `${b.relativeDir ? b.relativeDir + '/' : ''}${b.filename}: ${b.originalPath}`)));
