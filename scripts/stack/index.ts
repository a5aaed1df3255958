// The process manager lives in libs/devstack (@homeward/devstack); the demo logins are the launcher's own.
export * from '@homeward/devstack';
export * from './demo-credentials';
