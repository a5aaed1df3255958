export * from './vocabulary';
export * from './rules';
export * from './video-visits';
export * from './fund';
export * from './reoffending';
export * from './kpi';
