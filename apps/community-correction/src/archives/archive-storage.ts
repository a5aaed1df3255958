import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** CC-19: where archive file content lives. Keys look like `correction/<subjectId>/<documentId>`. */
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

/** Local disk (the default): one file per key under `root`; written to a temp file then renamed. */
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
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  }

  async get(key: string): Promise<Buffer> {
    return readFile(this.pathOf(key));
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
}

/** S3-compatible object storage (AWS S3, MinIO, Ceph RGW…) for k8s deployments. */
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
    await this.client.send(new PutObjectCommand({ Bucket: this.options.bucket, Key: checkKey(key), Body: bytes, ContentType: contentType, ContentLength: bytes.length }));
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

/** The archive settings of CorrectionConfig. */
export interface ArchiveStorageConfig {
  ARCHIVE_STORAGE: 'local' | 's3';
  ARCHIVE_DIR: string;
  ARCHIVE_S3_BUCKET?: string;
  ARCHIVE_S3_ENDPOINT?: string;
  ARCHIVE_S3_REGION: string;
  ARCHIVE_S3_ACCESS_KEY_ID?: string;
  ARCHIVE_S3_SECRET_ACCESS_KEY?: string;
  ARCHIVE_S3_FORCE_PATH_STYLE: boolean;
}

/** ARCHIVE_STORAGE=local (default, ARCHIVE_DIR) or s3 (ARCHIVE_S3_* — the bucket is then required). */
export function archiveStorageFrom(config: ArchiveStorageConfig): ArchiveStorage {
  if (config.ARCHIVE_STORAGE === 's3') {
    if (!config.ARCHIVE_S3_BUCKET) throw new Error('ARCHIVE_S3_BUCKET is required when ARCHIVE_STORAGE=s3');
    return new S3ArchiveStorage({
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
