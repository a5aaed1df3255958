export * from './local-date';
export * from './holiday-tables';
export * from './working-day-calendar';
