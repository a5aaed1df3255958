import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { ValidationError, getMetadataStorage, validateSync } from 'class-validator';

/** A missing or bad environment variable; the message names every one and why, never a value. */
export class ConfigError extends Error {
  constructor(readonly problems: { name: string; reasons: string[] }[]) {
    super(
      `Invalid configuration / 配置错误: ${problems.map((p) => `${p.name}: ${p.reasons.join('; ')}`).join(' | ')}`,
    );
    this.name = 'ConfigError';
  }
}

export interface ConfigVariable {
  name: string;
  required: boolean;
  default?: unknown;
}

type Ctor<T> = new () => T;

/** Names of the properties declared with class-validator decorators on `cls` and its ancestors. */
function propertyNames(cls: Ctor<unknown>): string[] {
  const metas = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  return [...new Set(metas.map((m) => m.propertyName))];
}

function isOptional(cls: Ctor<unknown>, name: string): boolean {
  return getMetadataStorage()
    .getTargetValidationMetadatas(cls, '', true, false)
    .some((m) => m.propertyName === name && m.type === 'conditionalValidation');
}

/**
 * The variables a config class reads: name, whether it must be set (no default and not
 * optional) and its default. Used by the k8s manifest test and the README.
 */
export function describeConfig(cls: Ctor<object>): ConfigVariable[] {
  const defaults = new cls() as Record<string, unknown>;
  return propertyNames(cls).map((name) => {
    const def = defaults[name];
    const v: ConfigVariable = { name, required: def === undefined && !isOptional(cls, name) };
    if (def !== undefined) v.default = def;
    return v;
  });
}

function reasonsOf(error: ValidationError): string[] {
  return Object.values(error.constraints ?? {});
}

/**
 * Reads `cls`'s variables from `env` (empty strings count as unset), converts numbers and
 * booleans, applies defaults and validates.
 * @throws ConfigError naming every missing or bad variable.
 */
export function loadConfig<T extends object>(cls: Ctor<T>, env: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env): T {
  const names = propertyNames(cls);
  const plain: Record<string, string> = {};
  for (const name of names) {
    const raw = env[name];
    if (raw !== undefined && raw.trim() !== '') plain[name] = raw.trim();
  }
  const instance = plainToInstance(cls, plain, { exposeDefaultValues: true });
  const errors = validateSync(instance, { skipMissingProperties: false, forbidUnknownValues: false });
  const problems = errors.map((e) => {
    const missing = plain[e.property] === undefined;
    const reasons = reasonsOf(e);
    return { name: e.property, reasons: missing ? ['is missing / 未设置', ...reasons] : reasons };
  });
  const record = instance as Record<string, unknown>;
  if (record.CLOCK_CONTROL === true && record.NODE_ENV === 'production') {
    problems.push({ name: 'CLOCK_CONTROL', reasons: ['must not be true when NODE_ENV=production / 生产环境不得开启时钟控制'] });
  }
  if (record.MIGRATION_DATABASE_URL && record.NODE_ENV === 'production') {
    problems.push({
      name: 'MIGRATION_DATABASE_URL',
      reasons: ['must not be set for an app when NODE_ENV=production: migrations run in the migration Job / 生产环境由迁移任务执行迁移，应用不得持有迁移账号'],
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return instance;
}
