// @mintlify/common's OpenAPI `validate` (what `mint openapi-check` and `mint validate` run) on one
// spec file. Prints {"valid": bool, "errors": [...]}.
import { safeValidate } from '@mintlify/common';
import fs from 'fs';
const result = await safeValidate(JSON.parse(fs.readFileSync(process.argv[2], 'utf8')));
console.log(JSON.stringify({ valid: Boolean(result.valid) && !result.errorMessage,
  errors: (result.errors ?? []).map(e => e.message ?? String(e)) }));
