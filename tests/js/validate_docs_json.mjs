// @mintlify/validation's validateDocsConfig (what `mint validate` runs) on one docs.json.
import { validateDocsConfig } from '@mintlify/validation';
import fs from 'fs';
const result = validateDocsConfig(JSON.parse(fs.readFileSync(process.argv[2], 'utf8')));
console.log(JSON.stringify(result.success ? { ok: true, warnings: result.warnings ?? [] }
  : { ok: false, issues: result.error.issues.map(i => ({ path: i.path, message: i.message })) }));
