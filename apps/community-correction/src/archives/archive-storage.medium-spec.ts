import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDiskArchiveStorage, S3ArchiveStorage, archiveStorageFrom } from './archive-storage';

jest.setTimeout(30_000);

describe('ArchiveStorage (CC-19)', () => {
  describe(LocalDiskArchiveStorage.name, () => {
    let root: string;
    let storage: LocalDiskArchiveStorage;

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'hw-archives-'));
      storage = new LocalDiskArchiveStorage(root);
    });
    afterAll(() => rm(root, { recursive: true, force: true }));

    it('CC-19: put / get / delete on the real disk', async () => {
      const bytes = Buffer.from('%PDF-1.4 判决书', 'utf8');
      await storage.put('correction/s1/d1', bytes, 'application/pdf');
      expect(await readFile(join(root, 'correction/s1/d1'))).toEqual(bytes);
      expect(await storage.get('correction/s1/d1')).toEqual(bytes);
      await storage.put('correction/s1/d1', Buffer.from('v2'), 'text/plain');
      expect((await storage.get('correction/s1/d1')).toString()).toBe('v2');
      await storage.delete('correction/s1/d1');
      await expect(stat(join(root, 'correction/s1/d1'))).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(storage.get('correction/s1/d1')).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(storage.delete('correction/s1/d1')).resolves.toBeUndefined();
    });

    it('refuses keys that climb out of the root', async () => {
      await expect(storage.put('../escape', Buffer.from('x'), 'text/plain')).rejects.toThrow('invalid archive storage key');
      await expect(storage.get('correction/../../etc/passwd')).rejects.toThrow('invalid archive storage key');
      await expect(storage.get('/etc/passwd')).rejects.toThrow('invalid archive storage key');
    });
  });

  /**
   * No S3 server can run on this machine, so the S3 adapter is tested against a tiny local HTTP
   * double implementing PutObject / GetObject / DeleteObject of the S3 REST API, path-style
   * (`PUT|GET|DELETE /<bucket>/<key>`). It checks what a real server would: the bucket, the signed
   * request (AWS SigV4 Authorization header), the body and the content type. A real S3-compatible
   * server (MinIO, AWS) is not exercised here.
   */
  describe(`${S3ArchiveStorage.name} against a local S3 REST double`, () => {
    let server: Server;
    let endpoint: string;
    const objects = new Map<string, { body: Buffer; contentType: string }>();
    const seen: { method: string; url: string; auth: string | undefined }[] = [];

    function handle(req: IncomingMessage, res: ServerResponse): void {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization });
        const url = new URL(req.url ?? '/', 'http://x');
        const [, bucket, ...rest] = decodeURIComponent(url.pathname).split('/');
        const key = rest.join('/');
        if (bucket !== 'archives') {
          res.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>NoSuchBucket</Code><Message>no bucket</Message></Error>');
          return;
        }
        if (req.method === 'PUT') {
          objects.set(key, { body: Buffer.concat(chunks), contentType: String(req.headers['content-type']) });
          res.writeHead(200, { etag: '"e"' }).end();
        } else if (req.method === 'GET') {
          const o = objects.get(key);
          if (!o) {
            res.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>NoSuchKey</Code><Message>no key</Message></Error>');
            return;
          }
          res.writeHead(200, { 'content-type': o.contentType, 'content-length': o.body.length }).end(o.body);
        } else if (req.method === 'DELETE') {
          objects.delete(key);
          res.writeHead(204).end();
        } else {
          res.writeHead(405).end();
        }
      });
    }

    beforeAll(async () => {
      server = createServer(handle);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const make = (bucket = 'archives') =>
      new S3ArchiveStorage({ bucket, endpoint, region: 'us-east-1', accessKeyId: 'AKIDTEST', secretAccessKey: 'secret-test', forcePathStyle: true });

    it('CC-19: PutObject / GetObject / DeleteObject path-style, signed', async () => {
      const storage = make();
      const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10]);
      await storage.put('correction/s1/d1', bytes, 'application/pdf');
      expect(objects.get('correction/s1/d1')).toEqual({ body: bytes, contentType: 'application/pdf' });
      expect(seen[0]).toMatchObject({ method: 'PUT', url: expect.stringMatching(/^\/archives\/correction\/s1\/d1/) });
      expect(seen[0].auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\//);
      expect(await storage.get('correction/s1/d1')).toEqual(bytes);
      await storage.delete('correction/s1/d1');
      expect(objects.has('correction/s1/d1')).toBe(false);
      await expect(storage.get('correction/s1/d1')).rejects.toMatchObject({ name: 'NoSuchKey' });
      storage.destroy();
    });

    it('CC-19: a missing bucket is an error, not a silent success', async () => {
      const storage = make('nope');
      await expect(storage.put('correction/s1/d2', Buffer.from('x'), 'text/plain')).rejects.toMatchObject({ name: 'NoSuchBucket' });
      storage.destroy();
    });

    it('CC-19: ARCHIVE_STORAGE selects the adapter; s3 needs a bucket', () => {
      const base = { ARCHIVE_DIR: '.data/archives', ARCHIVE_S3_REGION: 'us-east-1', ARCHIVE_S3_FORCE_PATH_STYLE: true };
      expect(archiveStorageFrom({ ...base, ARCHIVE_STORAGE: 'local' })).toBeInstanceOf(LocalDiskArchiveStorage);
      const s3 = archiveStorageFrom({ ...base, ARCHIVE_STORAGE: 's3', ARCHIVE_S3_BUCKET: 'archives', ARCHIVE_S3_ENDPOINT: endpoint });
      expect(s3).toBeInstanceOf(S3ArchiveStorage);
      (s3 as S3ArchiveStorage).destroy();
      expect(() => archiveStorageFrom({ ...base, ARCHIVE_STORAGE: 's3' })).toThrow('ARCHIVE_S3_BUCKET is required');
    });
  });
});
