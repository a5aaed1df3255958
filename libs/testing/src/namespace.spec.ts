import { testNamespace } from './database';
import { testRedisPrefix } from './redis';

describe('testNamespace', () => {
  const saved = process.env.HW_TEST_NAMESPACE;
  afterEach(() => {
    if (saved === undefined) delete process.env.HW_TEST_NAMESPACE;
    else process.env.HW_TEST_NAMESPACE = saved;
  });

  it('is hw unless HW_TEST_NAMESPACE says otherwise (Redis prefixes hwt:…)', () => {
    delete process.env.HW_TEST_NAMESPACE;
    expect(testNamespace()).toBe('hw');
    expect(testRedisPrefix('x')).toMatch(/^hwt:x:[0-9a-f]{10}$/);
  });

  it('names the databases and Redis prefixes of HW_TEST_NAMESPACE', () => {
    process.env.HW_TEST_NAMESPACE = 'pf';
    expect(testNamespace()).toBe('pf');
    expect(testRedisPrefix('bench fixes')).toMatch(/^pf:bench-fixes:[0-9a-f]{10}$/);
  });

  it('refuses a namespace that is not lowercase letters and digits', () => {
    process.env.HW_TEST_NAMESPACE = 'pf_x';
    expect(() => testNamespace()).toThrow('HW_TEST_NAMESPACE');
  });
});
