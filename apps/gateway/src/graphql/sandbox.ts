import { dirname, join } from 'node:path';
import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@homeward/platform';

/**
 * The GraphQL sandbox (GraphiQL) of a development gateway, served from the project's own pinned
 * packages (graphiql, react, react-dom in package.json), never from a CDN: it loads on an intranet
 * or an offline machine (issue 8 item 8). The page is served at GET /graphql (Accept: text/html)
 * by the gateway's edge (hive-gateway.mounter.ts); its files are under {@link SANDBOX_ASSETS_PATH}. Nothing in production.
 */
export const SANDBOX_ASSETS_PATH = '/graphql-sandbox';

const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));
const JS = 'application/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** The only files served under {@link SANDBOX_ASSETS_PATH}: name → file on disk and content type. */
export const SANDBOX_ASSETS: Readonly<Record<string, { file: () => string; type: string }>> = {
  'react.production.min.js': { file: () => join(packageDir('react'), 'umd', 'react.production.min.js'), type: JS },
  'react-dom.production.min.js': { file: () => join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'), type: JS },
  'graphiql.min.js': { file: () => join(packageDir('graphiql'), 'graphiql.min.js'), type: JS },
  'graphiql.min.css': { file: () => join(packageDir('graphiql'), 'graphiql.min.css'), type: CSS },
};

/** The sandbox page: every script and style sheet from this gateway, no inline script. */
export function sandboxHtml(graphqlPath = '/graphql'): string {
  const asset = (name: string): string => `${SANDBOX_ASSETS_PATH}/${name}`;
  return `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>Homeward GraphQL sandbox / 归途 GraphQL 调试台</title>
  <link rel="stylesheet" href="${asset('graphiql.min.css')}">
  <style>body { margin: 0; height: 100vh; overflow: hidden; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql" data-url="${graphqlPath}">Loading… / 加载中…</div>
  <script src="${asset('react.production.min.js')}"></script>
  <script src="${asset('react-dom.production.min.js')}"></script>
  <script src="${asset('graphiql.min.js')}"></script>
  <script src="${asset('init.js')}"></script>
</body>
</html>
`;
}

/** Starts GraphiQL on #graphiql (React 18 root); the bearer token goes in the headers editor. */
export const SANDBOX_INIT = `(function () {
  var root = document.getElementById('graphiql');
  var fetcher = GraphiQL.createFetcher({ url: root.getAttribute('data-url') });
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      shouldPersistHeaders: false,
      isHeadersEditorEnabled: true,
      defaultHeaders: '{\\n  "authorization": "Bearer <token from POST /api/v1/auth/login>"\\n}',
    }),
  );
})();
`;

/** The sandbox's files (registered in development only). */
@ApiExcludeController()
@Public()
@Controller(SANDBOX_ASSETS_PATH.slice(1))
export class SandboxController {
  @Get('init.js')
  @Header('content-type', JS)
  init(): string {
    return SANDBOX_INIT;
  }

  @Get(':asset')
  asset(@Param('asset') asset: string, @Res() res: Response): void {
    const found = Object.prototype.hasOwnProperty.call(SANDBOX_ASSETS, asset) ? SANDBOX_ASSETS[asset] : undefined;
    if (!found) throw new NotFoundException(`No such file: ${asset} / 文件不存在`);
    res.type(found.type).sendFile(found.file(), { maxAge: '1d' });
  }
}
