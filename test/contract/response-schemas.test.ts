import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { routeMatches, type WireEntry } from './wire-recorder.js';

/**
 * The response schemas are documentation only (the app serialises with JSON.stringify), so
 * nothing at run time keeps them true: this holds every recorded answer of
 * test/contract/wire-answers.json against the schema its route declares for that status, and
 * requires the families listed below to document every route's answer precisely.
 */
const RECORDING = fileURLToPath(new URL('./wire-answers.json', import.meta.url));

/**
 * URL prefixes of the families whose every route must declare its 200 answer, with no
 * `additionalProperties: true` anywhere in it. Add a family's prefixes here once its response
 * schemas are real (families 2 and 4: '/user_', '/partner/', '/payments/').
 */
const DOCUMENTED_FAMILY_PREFIXES: readonly string[] = [
  '/order_mianqian/',
  '/order_mianshen/',
  '/api/',
  '/user_contract/',
  '/user_order/',
  '/user_auth/',
  '/partner/',
  '/payments/wechat/notify',
  '/parking/api/',
];

interface SeenRoute {
  method: string;
  url: string;
  response: Readonly<Record<string, unknown>> | undefined;
}

/** Every route as registered, with its response schemas: an onRoute hook on each app built. */
function collectRoutes(): { routes: SeenRoute[]; stop(): void } {
  const routes: SeenRoute[] = [];
  const onInit = (message: unknown) => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onRoute', (route: RouteOptions) => {
      for (const method of [route.method].flat()) {
        if (method === 'HEAD') continue;
        const response = (route.schema as { response?: Record<string, unknown> } | undefined)?.response;
        routes.push({ method, url: route.url, response });
      }
    });
  };
  diagnostics.subscribe('fastify.initialization', onInit);
  return { routes, stop: () => diagnostics.unsubscribe('fastify.initialization', onInit) };
}

/** The route answering `method path`: a static one before one with parameters. */
function routeFor(routes: readonly SeenRoute[], method: string, path: string): SeenRoute | undefined {
  const params = (url: string) => (url.match(/[:*]/g) ?? []).length;
  return routes
    .filter((r) => r.method === method && (r.url === path || routeMatches(r.url, path)))
    .sort((a, b) => params(a.url) - params(b.url))[0];
}

/**
 * A response schema that is not JSON: fastify's and OpenAPI's content map, one schema per media
 * type (`{content: {'image/png': {schema: {type: 'string', format: 'binary'}}, …}}`), which is how
 * a route declares an answer of bytes.
 */
function mediaTypesOf(schema: unknown): Record<string, { schema?: unknown }> | undefined {
  const content = (schema as { content?: unknown } | undefined)?.content;
  return content && typeof content === 'object'
    ? (content as Record<string, { schema?: unknown }>)
    : undefined;
}

/** The media type of a Content-Type header, lower case, without its parameters. */
const mediaTypeOf = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();

/** Paths inside `schema` where additionalProperties is true (an undocumented object). */
function openObjects(schema: unknown, path = '#'): string[] {
  if (Array.isArray(schema)) return schema.flatMap((item, i) => openObjects(item, `${path}/${i}`));
  if (!schema || typeof schema !== 'object') return [];
  return Object.entries(schema).flatMap(([key, value]) =>
    key === 'additionalProperties' && value === true ? [path] : openObjects(value, `${path}/${key}`),
  );
}

describe('response schemas tell the truth about the recorded answers', () => {
  let t: TestApp;
  let routes: SeenRoute[];
  const entries = JSON.parse(fs.readFileSync(RECORDING, 'utf8')) as WireEntry[];

  before(async () => {
    const collector = collectRoutes();
    try {
      t = await startTestApp({ demo: true });
    } finally {
      collector.stop();
    }
    routes = collector.routes;
  });
  after(async () => {
    await t?.close();
  });

  it('every recorded JSON answer validates against its route’s schema for that status', () => {
    // No formats: the JSON schemas use none (binary is a document media type's, never compiled here),
    // and an unknown one would be ignored under strict: false.
    const ajv = new Ajv({ strict: false, allErrors: true });
    const compiled = new Map<unknown, ValidateFunction>();
    const validatorFor = (schema: unknown): ValidateFunction => {
      const known = compiled.get(schema);
      if (known) return known;
      const validate = ajv.compile(schema as object);
      compiled.set(schema, validate);
      return validate;
    };
    let checked = 0;
    const failures: string[] = [];
    for (const entry of entries) {
      if (!entry.contentType?.startsWith('application/json')) continue;
      const path = entry.url.split('?')[0]!;
      const declared = routeFor(routes, entry.method, path)?.response?.[String(entry.status)];
      const media = mediaTypesOf(declared);
      const schema = media ? media['application/json']?.schema : declared;
      if (schema === undefined) continue;
      const validate = validatorFor(schema);
      if (!validate(JSON.parse(entry.body))) {
        failures.push(
          `${entry.step}: ${entry.method} ${entry.url} ${entry.status}: ${ajv.errorsText(validate.errors)}`,
        );
      }
      checked += 1;
    }
    assert.deepEqual(failures, [], 'recorded answers the schemas refuse');
    assert.ok(checked >= 100, `answers were checked (${checked})`);
  });

  it('every recorded answer of a route that declares media types has one of them', () => {
    let checked = 0;
    const failures: string[] = [];
    for (const entry of entries) {
      const path = entry.url.split('?')[0]!;
      const media = mediaTypesOf(routeFor(routes, entry.method, path)?.response?.[String(entry.status)]);
      if (!media) continue;
      const declared = Object.keys(media).map(mediaTypeOf);
      const type = entry.contentType ? mediaTypeOf(entry.contentType) : '(none)';
      if (!declared.includes(type)) {
        failures.push(
          `${entry.step}: ${entry.method} ${entry.url} ${entry.status}: ${type} not in ${declared}`,
        );
      }
      checked += 1;
    }
    assert.deepEqual(failures, [], 'recorded answers of a type their route does not declare');
    // The two document routes of family 5, the owner's and the staff's, are recorded.
    assert.ok(checked >= 2, `answers of declared media types were checked (${checked})`);
  });

  it('every route of the documented families declares its 200 answer, with no open object in it', () => {
    const documented = routes.filter((r) => DOCUMENTED_FAMILY_PREFIXES.some((p) => r.url.startsWith(p)));
    assert.ok(documented.length >= 30, `the documented routes were found (${documented.length})`);
    const missing = documented
      .filter((r) => r.response?.['200'] === undefined)
      .map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(missing, [], 'routes without a 200 response schema');
    const open = documented.flatMap((r) =>
      openObjects(r.response).map((where) => `${r.method} ${r.url}: additionalProperties true at ${where}`),
    );
    assert.deepEqual(open, [], 'response schemas that leave an object undocumented');
  });
});
