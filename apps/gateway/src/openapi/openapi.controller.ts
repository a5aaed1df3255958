import { dirname, join } from 'node:path';
import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@homeward/platform';
import type { Response } from 'express';
import { OpenApiAggregator } from './openapi-aggregator';
import { OpenApiDocument } from './merge-openapi';

/** swagger-ui-dist ships with @nestjs/swagger. */
const UI_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));

/** swagger-ui-dist files the docs page loads; nothing else under /api/docs is served. */
const UI_ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>Homeward API / 归途 接口文档</title>
  <link rel="stylesheet" href="/api/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/swagger-ui-bundle.js"></script>
  <script src="/api/docs/swagger-ui-standalone-preset.js"></script>
  <script src="/api/docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({
  url: '/api/docs-json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
`;

/** The merged OpenAPI of every app (`/api/docs-json`) and a Swagger UI for it (`/api/docs`). */
@ApiExcludeController()
@Public()
@Controller('api')
export class OpenApiController {
  constructor(private readonly aggregator: OpenApiAggregator) {}

  @Get('docs-json')
  @Header('cache-control', 'public, max-age=30')
  docsJson(): Promise<OpenApiDocument> {
    return this.aggregator.document();
  }

  @Get('docs')
  @Header('content-type', 'text/html; charset=utf-8')
  page(): string {
    return PAGE;
  }

  @Get('docs/init.js')
  @Header('content-type', 'application/javascript; charset=utf-8')
  init(): string {
    return INIT;
  }

  @Get('docs/:asset')
  asset(@Param('asset') asset: string, @Res() res: Response): void {
    const type = UI_ASSETS[asset];
    if (!type) throw new NotFoundException(`No such file: ${asset}`);
    res.type(type).sendFile(join(UI_DIR, asset), { maxAge: '1d' });
  }
}
