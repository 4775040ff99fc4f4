#!/usr/bin/env node
// Writes docs/routes.md from the route declarations of the compiled service (run `npm run build` first;
// `npm run docs:routes` does both). test/http/routes-doc.test.ts fails when the file is out of date.
import { writeFile } from 'node:fs/promises';
import { renderRoutesDoc } from '../dist/src/http/routes-doc.js';
import { catalogueOfService } from '../dist/src/service-catalogue.js';

const doc = renderRoutesDoc(await catalogueOfService());
await writeFile(new URL('../docs/routes.md', import.meta.url), doc);
console.log(
  `docs/routes.md: ${doc.split('\n').filter((l) => l.startsWith('| GET') || l.startsWith('| POST') || l.startsWith('| PATCH')).length} routes`,
);
