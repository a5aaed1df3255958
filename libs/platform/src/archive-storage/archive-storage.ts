import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { Logger } from '@nestjs/common';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client, ServerSideEncryption } from '@aws-sdk/client-s3';
import { EnvelopeCipher } from '../crypto';

/** CC-19 / AC-6: where archive file content lives. Keys look like `correction/<subjectId>/<documentId>` or `aftercare/success-cases/<caseId>/<documentId>`. */
export abstract class ArchiveStorage {
  abstract put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  abstract get(key: string): Promise<Buffer>;
  abstract delete(key: string): Promise<void>;
}

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

function checkKey(key: string): string {
  if (!SAFE_KEY.test(key) || key.split('/').some((part) => part === '..' || part === '.')) {
    throw new Error(`invalid archive storage key: ${key}`);
  }
  return key;
}

/**
 * Local disk (the default): one file per key under `root`; written to a temp file then renamed.
 * Files are created 0600 and directories 0700 (issue 6 item 10): only the app's user reads them.
 */
export class LocalDiskArchiveStorage extends ArchiveStorage {
  private readonly root: string;

  constructor(root: string) {
    super();
    this.root = resolve(root);
  }

  private pathOf(key: string): string {
    const path = resolve(this.root, checkKey(key));
    if (!path.startsWith(this.root + sep)) throw new Error(`invalid archive storage key: ${key}`);
    return path;
  }

  async put(key: string, bytes: Buffer, _contentType?: string): Promise<void> {
    const path = this.pathOf(key);
    await this.ensureDir(dirname(path));
    const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, bytes, { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, path);
  }

  async get(key: string): Promise<Buffer> {
    return readFile(this.pathOf(key));
  }

  /** The root and every directory below it down to `dir`, created 0700 (existing ones tightened too). */
  private async ensureDir(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    let current = this.root;
    await chmod(current, 0o700);
    for (const part of relative(this.root, dir).split(sep).filter(Boolean)) {
      current = resolve(current, part);
      await chmod(current, 0o700);
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}

export interface S3ArchiveStorageOptions {
  bucket: string;
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
  /** Server-side encryption asked of the bucket on every PutObject (default AES256); `none` sends no header. */
  serverSideEncryption?: 'AES256' | 'aws:kms' | 'none';
}

/**
 * S3-compatible object storage (AWS S3, MinIO, Ceph RGW…) for k8s deployments. Every PutObject asks
 * for server-side encryption (`x-amz-server-side-encryption`); the bytes it is given are already
 * sealed client-side by EnvelopeArchiveStorage, so the bucket never holds clear content.
 */
export class S3ArchiveStorage extends ArchiveStorage {
  private readonly client: S3Client;

  constructor(private readonly options: S3ArchiveStorageOptions) {
    super();
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials: options.accessKeyId && options.secretAccessKey ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } : undefined,
    });
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    const sse = this.options.serverSideEncryption ?? 'AES256';
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: checkKey(key),
        Body: bytes,
        ContentType: contentType,
        ContentLength: bytes.length,
        ...(sse === 'none' ? {} : { ServerSideEncryption: sse === 'aws:kms' ? ServerSideEncryption.aws_kms : ServerSideEncryption.AES256 }),
      }),
    );
  }

  async get(key: string): Promise<Buffer> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: checkKey(key) }));
    if (!out.Body) throw new Error(`archive object ${key} has no body`);
    return Buffer.from(await out.Body.transformToByteArray());
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: checkKey(key) }));
  }

  /** Closes the HTTP agent (tests, shutdown). */
  destroy(): void {
    this.client.destroy();
  }
}

/**
 * Envelope encryption around any ArchiveStorage (issue 6 item 10): `put` stores
 * EnvelopeCipher.seal(bytes) — a fresh data key per file, wrapped by FIELD_ENCRYPTION_KEY, the
 * storage key as associated data — and `get` opens it. A blob without the envelope header is a
 * file written before encryption: it is returned as is, logged as legacy, and re-written sealed
 * (best effort), so the store converges to ciphertext only.
 */
export class EnvelopeArchiveStorage extends ArchiveStorage {
  private readonly logger = new Logger('ArchiveStorage');

  constructor(
    readonly inner: ArchiveStorage,
    private readonly cipher: EnvelopeCipher,
  ) {
    super();
  }

  /** The content type stays in the metadata row: the stored object is opaque ciphertext. */
  async put(key: string, bytes: Buffer, _contentType?: string): Promise<void> {
    await this.inner.put(key, this.cipher.seal(bytes, key), 'application/octet-stream');
  }

  async get(key: string): Promise<Buffer> {
    const blob = await this.inner.get(key);
    if (EnvelopeCipher.isSealed(blob)) return this.cipher.open(blob, key);
    this.logger.warn(`legacy unencrypted archive file ${key}: served, and re-written encrypted`);
    await this.inner.put(key, this.cipher.seal(blob, key), 'application/octet-stream').catch((e: Error) => {
      this.logger.error(`cannot re-write legacy archive file ${key} encrypted: ${e.message}`);
    });
    return blob;
  }

  async delete(key: string): Promise<void> {
    await this.inner.delete(key);
  }
}

/** The archive settings of CorrectionConfig and AftercareConfig (the same env names in both apps). */
export interface ArchiveStorageConfig {
  /** The key-encryption key of the archive envelopes (base64 of 32 bytes). */
  FIELD_ENCRYPTION_KEY: string;
  ARCHIVE_STORAGE: 'local' | 's3';
  ARCHIVE_DIR: string;
  ARCHIVE_S3_BUCKET?: string;
  ARCHIVE_S3_ENDPOINT?: string;
  ARCHIVE_S3_REGION: string;
  ARCHIVE_S3_ACCESS_KEY_ID?: string;
  ARCHIVE_S3_SECRET_ACCESS_KEY?: string;
  ARCHIVE_S3_FORCE_PATH_STYLE: boolean;
  ARCHIVE_S3_SSE?: 'AES256' | 'aws:kms' | 'none';
}

/**
 * ARCHIVE_STORAGE=local (default, ARCHIVE_DIR) or s3 (ARCHIVE_S3_* — the bucket is then required),
 * always behind envelope encryption under FIELD_ENCRYPTION_KEY.
 */
export function archiveStorageFrom(config: ArchiveStorageConfig): EnvelopeArchiveStorage {
  return new EnvelopeArchiveStorage(rawArchiveStorageFrom(config), new EnvelopeCipher(config.FIELD_ENCRYPTION_KEY));
}

function rawArchiveStorageFrom(config: ArchiveStorageConfig): ArchiveStorage {
  if (config.ARCHIVE_STORAGE === 's3') {
    if (!config.ARCHIVE_S3_BUCKET) throw new Error('ARCHIVE_S3_BUCKET is required when ARCHIVE_STORAGE=s3');
    return new S3ArchiveStorage({
      serverSideEncryption: config.ARCHIVE_S3_SSE ?? 'AES256',
      bucket: config.ARCHIVE_S3_BUCKET,
      endpoint: config.ARCHIVE_S3_ENDPOINT,
      region: config.ARCHIVE_S3_REGION,
      accessKeyId: config.ARCHIVE_S3_ACCESS_KEY_ID,
      secretAccessKey: config.ARCHIVE_S3_SECRET_ACCESS_KEY,
      forcePathStyle: config.ARCHIVE_S3_FORCE_PATH_STYLE,
    });
  }
  return new LocalDiskArchiveStorage(config.ARCHIVE_DIR);
}
