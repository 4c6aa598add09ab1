// src/api.gen.ts is generated from server/openapi.json by `npm run gen:api`, and committed: it must
// be what the generator makes of the description as it is now, or the dashboard's types (types.ts)
// would check the code against an older API.
import { describe, expect, it } from 'vitest';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import committed from '../src/api.gen.ts?raw';
import pkg from '../package.json';

describe('api.gen.ts', () => {
  it('is generated with no options that this test does not use', () => {
    expect(pkg.scripts['gen:api']).toBe('openapi-typescript ../server/openapi.json --output src/api.gen.ts');
  });

  it('is what the generator makes of server/openapi.json now (else run `npm run gen:api`)', async () => {
    // As the command line does for one file without options (openapi-typescript/bin/cli.js).
    const spec = new URL('../../server/openapi.json', import.meta.url);
    const fresh = `${COMMENT_HEADER}${astToString(await openapiTS(spec, { silent: true }))}`;
    expect(fresh.length).toBeGreaterThan(1000);
    expect(committed === fresh, 'src/api.gen.ts is stale: run `npm run gen:api` in web/ and commit it').toBe(true);
  }, 60_000);
});
