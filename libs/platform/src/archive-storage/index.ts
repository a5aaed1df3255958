/**
 * Encrypted file storage shared by the services that keep documents and pictures: community
 * correction's archives (CC-19) and aftercare's success-case dossiers (AC-6). A subpath of its own
 * (`@homeward/platform/archive-storage`) so an app without files does not load the S3 client.
 */
export * from './archive-storage';
