import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvelopeCipher } from '../crypto';
import { EnvelopeArchiveStorage, LocalDiskArchiveStorage, S3ArchiveStorage, archiveStorageFrom } from './archive-storage';

const KEK = Buffer.alloc(32, 5).toString('base64');

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

    it('issue 6 item 10: files are written 0600 in 0700 folders', async () => {
      await storage.put('correction/s2/d1', Buffer.from('x'), 'text/plain');
      expect((await stat(join(root, 'correction/s2/d1'))).mode & 0o777).toBe(0o600);
      expect((await stat(join(root, 'correction/s2'))).mode & 0o777).toBe(0o700);
      expect((await stat(join(root, 'correction'))).mode & 0o777).toBe(0o700);
      expect((await stat(root)).mode & 0o777).toBe(0o700);
    });

    it('refuses keys that climb out of the root', async () => {
      await expect(storage.put('../escape', Buffer.from('x'), 'text/plain')).rejects.toThrow('invalid archive storage key');
      await expect(storage.get('correction/../../etc/passwd')).rejects.toThrow('invalid archive storage key');
      await expect(storage.get('/etc/passwd')).rejects.toThrow('invalid archive storage key');
    });
  });

  describe(`${EnvelopeArchiveStorage.name} over the local disk`, () => {
    let root: string;
    let storage: EnvelopeArchiveStorage;

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'hw-archives-enc-'));
      storage = archiveStorageFrom({ FIELD_ENCRYPTION_KEY: KEK, ARCHIVE_STORAGE: 'local', ARCHIVE_DIR: root, ARCHIVE_S3_REGION: 'us-east-1', ARCHIVE_S3_FORCE_PATH_STYLE: true });
    });
    afterAll(() => rm(root, { recursive: true, force: true }));

    it('issue 6 item 10: the bytes on disk are an envelope without the content, mode 0600; get returns the original', async () => {
      const clear = Buffer.from('%PDF-1.4 判决书 张三 320281199001011234', 'utf8');
      await storage.put('correction/s1/d1', clear, 'application/pdf');
      const raw = await readFile(join(root, 'correction/s1/d1'));
      expect(EnvelopeCipher.isSealed(raw)).toBe(true);
      expect(raw.includes(clear)).toBe(false);
      expect(raw.includes(Buffer.from('320281199001011234'))).toBe(false);
      expect((await stat(join(root, 'correction/s1/d1'))).mode & 0o777).toBe(0o600);
      expect(await storage.get('correction/s1/d1')).toEqual(clear);
      // A fresh data key per file: the same content seals differently.
      await storage.put('correction/s1/d2', clear, 'application/pdf');
      expect((await readFile(join(root, 'correction/s1/d2'))).equals(raw)).toBe(false);
    });

    it('issue 6 item 10: a blob moved onto another key, or read with another key-encryption key, does not open', async () => {
      await storage.put('correction/s1/d3', Buffer.from('secret'), 'text/plain');
      await writeFile(join(root, 'correction/s1/d4'), await readFile(join(root, 'correction/s1/d3')));
      await expect(storage.get('correction/s1/d4')).rejects.toThrow(/failed authentication/);
      const other = new EnvelopeArchiveStorage(new LocalDiskArchiveStorage(root), new EnvelopeCipher(Buffer.alloc(32, 6).toString('base64')));
      await expect(other.get('correction/s1/d3')).rejects.toThrow(/does not unwrap/);
    });

    it('issue 6 item 10: a legacy clear file is still served, then re-written sealed', async () => {
      await mkdir(join(root, 'correction/s9'), { recursive: true });
      await writeFile(join(root, 'correction/s9/old'), 'legacy clear 判决书');
      expect((await storage.get('correction/s9/old')).toString()).toBe('legacy clear 判决书');
      const raw = await readFile(join(root, 'correction/s9/old'));
      expect(EnvelopeCipher.isSealed(raw)).toBe(true);
      expect(raw.includes(Buffer.from('legacy clear'))).toBe(false);
      expect((await storage.get('correction/s9/old')).toString()).toBe('legacy clear 判决书');
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
    const objects = new Map<string, { body: Buffer; contentType: string; sse?: string }>();
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
          const sse = req.headers['x-amz-server-side-encryption'];
          objects.set(key, { body: Buffer.concat(chunks), contentType: String(req.headers['content-type']), ...(sse ? { sse: String(sse) } : {}) });
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
      expect(objects.get('correction/s1/d1')).toEqual({ body: bytes, contentType: 'application/pdf', sse: 'AES256' });
      expect(seen[0]).toMatchObject({ method: 'PUT', url: expect.stringMatching(/^\/archives\/correction\/s1\/d1/) });
      expect(seen[0].auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\//);
      expect(await storage.get('correction/s1/d1')).toEqual(bytes);
      await storage.delete('correction/s1/d1');
      expect(objects.has('correction/s1/d1')).toBe(false);
      await expect(storage.get('correction/s1/d1')).rejects.toMatchObject({ name: 'NoSuchKey' });
      storage.destroy();
    });

    it('issue 6 item 10: through archiveStorageFrom the stored object is ciphertext and carries the SSE header', async () => {
      const storage = archiveStorageFrom({
        FIELD_ENCRYPTION_KEY: KEK,
        ARCHIVE_STORAGE: 's3',
        ARCHIVE_DIR: '.data/archives',
        ARCHIVE_S3_BUCKET: 'archives',
        ARCHIVE_S3_ENDPOINT: endpoint,
        ARCHIVE_S3_REGION: 'us-east-1',
        ARCHIVE_S3_ACCESS_KEY_ID: 'AKIDTEST',
        ARCHIVE_S3_SECRET_ACCESS_KEY: 'secret-test',
        ARCHIVE_S3_FORCE_PATH_STYLE: true,
      });
      const clear = Buffer.from('%PDF-1.4 判决书 320281199001011234', 'utf8');
      await storage.put('correction/s5/d1', clear, 'application/pdf');
      const stored = objects.get('correction/s5/d1');
      expect(stored?.sse).toBe('AES256');
      expect(stored?.contentType).toBe('application/octet-stream');
      expect(EnvelopeCipher.isSealed(stored!.body)).toBe(true);
      expect(stored!.body.includes(clear)).toBe(false);
      expect(stored!.body.includes(Buffer.from('320281199001011234'))).toBe(false);
      expect(await storage.get('correction/s5/d1')).toEqual(clear);
      (storage.inner as S3ArchiveStorage).destroy();
    });

    it('CC-19: a missing bucket is an error, not a silent success', async () => {
      const storage = make('nope');
      await expect(storage.put('correction/s1/d2', Buffer.from('x'), 'text/plain')).rejects.toMatchObject({ name: 'NoSuchBucket' });
      storage.destroy();
    });

    it('CC-19: ARCHIVE_STORAGE selects the adapter; s3 needs a bucket', () => {
      const base = { FIELD_ENCRYPTION_KEY: KEK, ARCHIVE_DIR: '.data/archives', ARCHIVE_S3_REGION: 'us-east-1', ARCHIVE_S3_FORCE_PATH_STYLE: true };
      expect(archiveStorageFrom({ ...base, ARCHIVE_STORAGE: 'local' }).inner).toBeInstanceOf(LocalDiskArchiveStorage);
      const s3 = archiveStorageFrom({ ...base, ARCHIVE_STORAGE: 's3', ARCHIVE_S3_BUCKET: 'archives', ARCHIVE_S3_ENDPOINT: endpoint });
      expect(s3.inner).toBeInstanceOf(S3ArchiveStorage);
      (s3.inner as S3ArchiveStorage).destroy();
      expect(() => archiveStorageFrom({ ...base, ARCHIVE_STORAGE: 's3' })).toThrow('ARCHIVE_S3_BUCKET is required');
    });
  });
});
