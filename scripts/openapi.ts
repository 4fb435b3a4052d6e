import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { routes } from '#core/contract/index';
import * as responseSchemas from '#core/contract/schemas/responses/index';
import { generateOpenApi } from '#functions/commons/openapi';

/**
 * `tsx scripts/openapi.ts [file]`: writes the OpenAPI 3.1 document of the route table to `file`
 * (for `npm run lint:openapi`, which runs Spectral on it), or to stdout.
 */
const out = process.argv[2];
const document = generateOpenApi(routes, responseSchemas);
const json = `${JSON.stringify(document, null, 2)}\n`;
if (!out) process.stdout.write(json);
else {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, json);
  const operations = Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  console.log(`${out}: OpenAPI ${document.openapi}, ${operations} operations`);
}
