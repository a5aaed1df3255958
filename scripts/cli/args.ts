/**
 * Argument parsing for the admin CLI (`npm run cli -- <command>`). Pure: no I/O, so it is unit-tested.
 * Bad arguments raise UsageError; the entry point prints USAGE on stderr and exits with code 2.
 */

export const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  migrate                              run the migrations of every service
  seed                                 seed reference data of every service
  user:create --username U --password P --role ROLE [--role ROLE2] [--towns 104,107]
              [--totp-secret BASE32] [--if-not-exists]
                                       create a staff account; prints the TOTP secret and
                                       otpauth URI when a role needs TOTP
  partner:create --kind KIND --name NAME [--agency-id ID] [--client-id ID] [--scopes a,b]
              [--if-not-exists]
                                       create a partner client; the last line of stdout is
                                       {"clientId":"…","clientSecret":"…"}
  partner:deactivate --client-id ID    disable a partner client and revoke its tokens
  partner:activate --client-id ID      enable a partner client again (its old tokens stay revoked)
  partner:rotate-secret --client-id ID new client secret; the previous one stays valid for
                                       PARTNER_SECRET_GRACE_HOURS (24); the last line of stdout is
                                       {"clientId":"…","clientSecret":"…","previousSecretValidUntil":"…"}
  demo:credentials [--data-dir DIR]    print the demo logins' passwords, TOTP secrets (with the
                                       current code) and partner client secrets kept by npm start
                                       in DIR/demo-credentials.json (default .data, HOMEWARD_DATA_DIR)
  audit:verify                         recompute every service's audit chain with AUDIT_CHAIN_KEY and check
                                       the anchors; prints counts, exit code 1 when a chain is broken
  help                                 print this text

Roles: CITY_ADMIN TOWN_OFFICER SOCIAL_WORKER AUDITOR SECURITY_ADMIN SYSTEM_ADMIN SUBJECT TEAM_MEMBER
Agency kinds: COURT PROCURATORATE POLICE PRISON REHAB_CENTRE MONITORING_PLATFORM
Environment: MIGRATION_DATABASE_URL (the migrator; else DATABASE_URL, default
  postgres://postgres@127.0.0.1:5432/homeward), FIELD_ENCRYPTION_KEY, AUDIT_CHAIN_KEY;
  migrate sets the password of each app role from IDENTITY_DATABASE_URL, CORRECTION_DATABASE_URL,
  RESETTLEMENT_DATABASE_URL, AFTERCARE_DATABASE_URL, ALERTS_DATABASE_URL, AUDITOR_DATABASE_URL when given;
  audit:verify reads AUDITOR_DATABASE_URL when set (the auditor role), else the migrator's URL;
  REDIS_URL / REDIS_PREFIX (partner:deactivate revokes tokens on Redis).
`;

export class UsageError extends Error {}

export type CliCommand =
  | { command: 'help' }
  | { command: 'migrate' }
  | { command: 'seed' }
  | { command: 'demo:credentials'; dataDir?: string }
  | { command: 'partner:deactivate' | 'partner:activate' | 'partner:rotate-secret'; clientId: string }
  | { command: 'audit:verify' }
  | {
      command: 'user:create';
      username: string;
      password: string;
      roles: string[];
      towns: string[];
      totpSecret?: string;
      ifNotExists: boolean;
    }
  | {
      command: 'partner:create';
      kind: string;
      name: string;
      agencyId?: string;
      clientId?: string;
      scopes: string[];
      ifNotExists: boolean;
    };

interface OptionSpec {
  /** takes a value (else a boolean flag) */
  value: boolean;
  /** may be given more than once */
  repeat?: boolean;
}

const OPTIONS: Record<string, Record<string, OptionSpec>> = {
  migrate: {},
  seed: {},
  help: {},
  'demo:credentials': { 'data-dir': { value: true } },
  'partner:deactivate': { 'client-id': { value: true } },
  'partner:activate': { 'client-id': { value: true } },
  'partner:rotate-secret': { 'client-id': { value: true } },
  'audit:verify': {},
  'user:create': {
    username: { value: true },
    password: { value: true },
    role: { value: true, repeat: true },
    towns: { value: true, repeat: true },
    'totp-secret': { value: true },
    'if-not-exists': { value: false },
  },
  'partner:create': {
    kind: { value: true },
    name: { value: true },
    'agency-id': { value: true },
    'client-id': { value: true },
    scopes: { value: true, repeat: true },
    'if-not-exists': { value: false },
  },
};

function splitList(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
}

function parseOptions(command: string, args: string[]): Map<string, string[]> {
  const spec = OPTIONS[command];
  const found = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const opt = spec[name];
    if (!opt) throw new UsageError(`unknown option --${name} for ${command}`);
    let value = 'true';
    if (opt.value) {
      if (eq >= 0) value = arg.slice(eq + 1);
      else {
        const next = args[i + 1];
        if (next === undefined || next.startsWith('--')) throw new UsageError(`--${name} needs a value`);
        value = next;
        i++;
      }
      if (value.trim() === '') throw new UsageError(`--${name} needs a value`);
    } else if (eq >= 0) {
      throw new UsageError(`--${name} takes no value`);
    }
    const list = found.get(name) ?? [];
    if (list.length > 0 && !opt.repeat) throw new UsageError(`--${name} given twice`);
    list.push(value);
    found.set(name, list);
  }
  return found;
}

function required(opts: Map<string, string[]>, name: string, command: string): string {
  const v = opts.get(name)?.[0];
  if (v === undefined) throw new UsageError(`${command} needs --${name}`);
  return v;
}

/** Parses the arguments after `cli.ts` (process.argv.slice(2)). Throws UsageError on anything wrong. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('no command given');
  if (command === '--help' || command === '-h') return { command: 'help' };
  if (!(command in OPTIONS)) throw new UsageError(`unknown command "${command}"`);
  const opts = parseOptions(command, rest);
  switch (command) {
    case 'help':
    case 'migrate':
    case 'seed':
    case 'audit:verify':
      return { command };
    case 'demo:credentials':
      return { command, dataDir: opts.get('data-dir')?.[0] };
    case 'partner:deactivate':
    case 'partner:activate':
    case 'partner:rotate-secret':
      return { command, clientId: required(opts, 'client-id', command) };
    case 'user:create': {
      const roles = splitList(opts.get('role'));
      if (roles.length === 0) throw new UsageError('user:create needs --role');
      return {
        command,
        username: required(opts, 'username', command),
        password: required(opts, 'password', command),
        roles,
        towns: splitList(opts.get('towns')),
        totpSecret: opts.get('totp-secret')?.[0],
        ifNotExists: opts.has('if-not-exists'),
      };
    }
    case 'partner:create':
      return {
        command,
        kind: required(opts, 'kind', command).toUpperCase(),
        name: required(opts, 'name', command),
        agencyId: opts.get('agency-id')?.[0],
        clientId: opts.get('client-id')?.[0],
        scopes: splitList(opts.get('scopes')),
        ifNotExists: opts.has('if-not-exists'),
      };
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}
