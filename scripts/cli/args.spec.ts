import { UsageError, parseCliArgs } from './args';

describe('parseCliArgs', () => {
  it('parses migrate and seed', () => {
    expect(parseCliArgs(['migrate'])).toEqual({ command: 'migrate' });
    expect(parseCliArgs(['seed'])).toEqual({ command: 'seed' });
  });

  it('parses user:create with repeated roles, comma towns and a TOTP secret', () => {
    expect(
      parseCliArgs([
        'user:create',
        '--username',
        'officer.xxk',
        '--password=Secret-Pass-1',
        '--role',
        'TOWN_OFFICER',
        '--role',
        'SOCIAL_WORKER',
        '--towns',
        '104,107',
        '--totp-secret',
        'JBSWY3DPEHPK3PXP',
      ]),
    ).toEqual({
      command: 'user:create',
      username: 'officer.xxk',
      password: 'Secret-Pass-1',
      roles: ['TOWN_OFFICER', 'SOCIAL_WORKER'],
      towns: ['104', '107'],
      totpSecret: 'JBSWY3DPEHPK3PXP',
      ifNotExists: false,
    });
  });

  it('parses partner:create', () => {
    expect(parseCliArgs(['partner:create', '--kind', 'court', '--name', '江阴市人民法院', '--agency-id', 'JY-COURT'])).toEqual({
      command: 'partner:create',
      kind: 'COURT',
      name: '江阴市人民法院',
      agencyId: 'JY-COURT',
      clientId: undefined,
      scopes: [],
      ifNotExists: false,
    });
  });

  it.each([
    [[]],
    [['frobnicate']],
    [['migrate', '--force']],
    [['migrate', 'extra']],
    [['user:create', '--username', 'u', '--password', 'p']],
    [['user:create', '--username', 'u', '--role', 'TOWN_OFFICER']],
    [['user:create', '--username', '--password', 'p', '--role', 'X']],
    [['user:create', '--username', 'a', '--username', 'b', '--password', 'p', '--role', 'X']],
    [['partner:create', '--kind', 'COURT']],
    [['partner:create', '--name', 'N']],
    [['partner:create', '--kind', 'COURT', '--name', 'N', '--if-not-exists=yes']],
    [['partner:create', '--kind', 'COURT', '--name', '']],
  ])('bad arguments %j raise UsageError', (argv) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
  });
});
