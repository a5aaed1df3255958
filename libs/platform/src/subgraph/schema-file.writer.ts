import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { graphql } from 'graphql';
import { writeFileSync } from 'node:fs';

export const SCHEMA_FILE_HEADER = '# Generated from this subgraph\'s _service.sdl at start-up (outside production). Do not edit.\n';

/** Reads the subgraph SDL exactly as the gateway composes it (with @key, @shareable, @link). */
export async function subgraphSdl(host: GraphQLSchemaHost): Promise<string> {
  const result = await graphql({ schema: host.schema, source: '{ _service { sdl } }' });
  const sdl = (result.data as { _service?: { sdl?: string } } | null | undefined)?._service?.sdl;
  if (!sdl) throw new Error(`cannot read the subgraph SDL: ${JSON.stringify(result.errors ?? result)}`);
  return sdl;
}

/**
 * Writes `apps/<service>/schema.gql`, checked in so a schema change shows in review and
 * `npm run compose:supergraph` can compose without running the apps. Nest's own schema file
 * drops the federation directives, so it is not used.
 */
@Injectable()
export class SchemaFileWriter implements OnApplicationBootstrap {
  constructor(
    private readonly host: GraphQLSchemaHost,
    private readonly path: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    writeFileSync(this.path, SCHEMA_FILE_HEADER + (await subgraphSdl(this.host)).trimEnd() + '\n');
  }
}
