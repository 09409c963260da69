import { Controller, Get, Headers, HttpStatus, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@metergate/platform';
import { ConsoleAssets } from './console-assets';
import { CONSOLE_SECURITY_HEADERS, acceptsGzip } from './console-http-policy';

/**
 * The console's static files at /console. Open without a token: the page holds no data, and every figure
 * it shows comes from the APIs, which ask for the bearer token the person signs in with.
 */
@ApiExcludeController()
@Public()
@Controller('console')
export class ConsoleHttpController {
  constructor(private readonly assets: ConsoleAssets) {}

  @Get()
  index(@Headers() headers: Record<string, string | undefined>, @Res() reply: FastifyReply): void {
    this.send('index.html', headers, reply);
  }

  @Get('assets/:file')
  asset(
    @Param('file') file: string,
    @Headers() headers: Record<string, string | undefined>,
    @Res() reply: FastifyReply,
  ): void {
    this.send(`assets/${file}`, headers, reply);
  }

  @Get(':file')
  file(
    @Param('file') file: string,
    @Headers() headers: Record<string, string | undefined>,
    @Res() reply: FastifyReply,
  ): void {
    this.send(file, headers, reply);
  }

  private send(path: string, headers: Record<string, string | undefined>, reply: FastifyReply): void {
    void reply.headers(CONSOLE_SECURITY_HEADERS);
    const asset = this.assets.get(path);
    if (!asset) {
      void reply.status(HttpStatus.NOT_FOUND).send({
        statusCode: HttpStatus.NOT_FOUND,
        error: 'Not Found',
        message: this.assets.built
          ? `the console has no file ${path}`
          : `the console is not built (nothing in ${this.assets.dir}): run npm run build`,
      });
      return;
    }
    void reply.headers({ 'cache-control': asset.cacheControl, etag: asset.etag, vary: 'accept-encoding' });
    if (headers['if-none-match'] === asset.etag) {
      void reply.status(HttpStatus.NOT_MODIFIED).send();
      return;
    }
    void reply.type(asset.contentType);
    if (asset.gzipped && acceptsGzip(headers['accept-encoding'])) {
      void reply.header('content-encoding', 'gzip').send(asset.gzipped);
      return;
    }
    void reply.send(asset.body);
  }
}
