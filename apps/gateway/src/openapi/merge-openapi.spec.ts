import { mergeOpenApi, OpenApiDocument } from './merge-openapi';

function doc(partial: Partial<OpenApiDocument>): OpenApiDocument {
  return { openapi: '3.0.0', info: { title: 't', version: '1' }, ...partial };
}

describe(mergeOpenApi.name, () => {
  it('unions the paths of every app', () => {
    const merged = mergeOpenApi([
      { name: 'identity', document: doc({ paths: { '/api/v1/auth/login': { post: {} } } }) },
      { name: 'correction', document: doc({ paths: { '/api/v1/correction/enrolments': { post: {} } } }) },
    ]);
    expect(Object.keys(merged.paths ?? {})).toEqual(['/api/v1/auth/login', '/api/v1/correction/enrolments']);
    expect(merged.info.title).toBe('Homeward API');
  });

  it('keeps one copy of a component that two apps define identically', () => {
    const problem = { type: 'object', properties: { title: { type: 'string' } } };
    const merged = mergeOpenApi([
      { name: 'correction', document: doc({ components: { schemas: { Problem: problem } } }) },
      { name: 'aftercare', document: doc({ components: { schemas: { Problem: problem } } }) },
    ]);
    expect(Object.keys(merged.components?.schemas ?? {})).toEqual(['Problem']);
  });

  it('prefixes a colliding component with the app name and rewrites that app\'s $refs', () => {
    const merged = mergeOpenApi([
      {
        name: 'correction',
        document: doc({
          paths: { '/api/v1/correction/enrolments': { post: { requestBody: { $ref: '#/components/schemas/PersonDto' } } } },
          components: { schemas: { PersonDto: { type: 'object', required: ['idNumber'] } } },
        }),
      },
      {
        name: 'resettlement',
        document: doc({
          paths: {
            '/api/v1/resettlement/releases': { post: { requestBody: { $ref: '#/components/schemas/ReleaseDto' } } },
          },
          components: {
            schemas: {
              PersonDto: { type: 'object', required: ['name'] },
              ReleaseDto: { type: 'object', properties: { person: { $ref: '#/components/schemas/PersonDto' } } },
            },
          },
        }),
      },
    ]);
    const schemas = merged.components?.schemas ?? {};
    expect(schemas.PersonDto).toEqual({ type: 'object', required: ['idNumber'] });
    expect(schemas.Resettlement_PersonDto).toEqual({ type: 'object', required: ['name'] });
    expect(schemas.ReleaseDto).toEqual({
      type: 'object',
      properties: { person: { $ref: '#/components/schemas/Resettlement_PersonDto' } },
    });
    expect(merged.paths?.['/api/v1/correction/enrolments']).toEqual({
      post: { requestBody: { $ref: '#/components/schemas/PersonDto' } },
    });
  });

  it('names the apps that were down in info.description', () => {
    const merged = mergeOpenApi(
      [{ name: 'identity', document: doc({ paths: {} }) }],
      [{ name: 'alerts', reason: 'connection refused' }],
    );
    expect(merged.info.description).toContain('Not included: alerts (connection refused).');
  });

  it('keeps the first owner of a path two apps both describe and notes it', () => {
    const merged = mergeOpenApi([
      { name: 'identity', document: doc({ paths: { '/x': { get: { summary: 'first' } } } }) },
      { name: 'alerts', document: doc({ paths: { '/x': { get: { summary: 'second' } } } }) },
    ]);
    expect(merged.paths?.['/x']).toEqual({ get: { summary: 'first' } });
    expect(merged.info.description).toContain('/x');
  });

  it('unions tags and security requirements without duplicates', () => {
    const merged = mergeOpenApi([
      { name: 'identity', document: doc({ tags: [{ name: 'auth' }], security: [{ bearer: [] }] }) },
      { name: 'alerts', document: doc({ tags: [{ name: 'auth' }, { name: 'alerts' }], security: [{ bearer: [] }] }) },
    ]);
    expect(merged.tags?.map((t) => t.name)).toEqual(['auth', 'alerts']);
    expect(merged.security).toEqual([{ bearer: [] }]);
  });
});
