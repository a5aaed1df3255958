import jwt from 'jsonwebtoken';
import { AgencyKind } from '@homeward/domain';
import { TestKeys, partnerPrincipal } from '../testing';
import { TokenRevocations } from './revocations';
import { verifyAccessToken } from './verify-token';

const NOW = new Date('2026-11-20T02:00:00Z');
const seconds = (s: number) => new Date(NOW.getTime() + s * 1000);

/** Revocations answering from a list of reasons, one per call (undefined: not revoked). */
function revocationsAnswering(...answers: Array<string | undefined>): TokenRevocations & { calls: number } {
  const fake = {
    calls: 0,
    mirroredReason: () => undefined,
    async revokedReason() {
      return answers[fake.calls++];
    },
  };
  return fake as unknown as TokenRevocations & { calls: number };
}

describe(verifyAccessToken.name, () => {
  const keys = new TestKeys();

  afterEach(() => jest.restoreAllMocks());

  it('issue 13 S2: checks the signature of a token once; later calls with the same token give an equal, separate principal', async () => {
    const token = keys.mint(partnerPrincipal(AgencyKind.COURT), { now: NOW, expiresInSeconds: 600 });
    const verify = jest.spyOn(jwt, 'verify');
    const first = await verifyAccessToken(token, keys.provider, NOW);
    first.caseload = ['added-by-a-caller'];
    first.roles.push('MUTATED' as never);
    const second = await verifyAccessToken(token, keys.provider, seconds(60));
    expect(verify).toHaveBeenCalledTimes(1);
    expect(second).not.toBe(first);
    expect(second.caseload).toBeUndefined();
    expect(second.roles).not.toContain('MUTATED');
    expect(second.sub).toBe(first.sub);
    expect(second.agencyKind).toBe(AgencyKind.COURT);
  });

  it('issue 13 S2: a remembered token past its exp is refused (the full check runs again)', async () => {
    const token = keys.mint(partnerPrincipal(AgencyKind.COURT), { now: NOW, expiresInSeconds: 60 });
    await verifyAccessToken(token, keys.provider, NOW);
    await expect(verifyAccessToken(token, keys.provider, seconds(120))).rejects.toThrow(/expired/);
  });

  it('issue 13 S2: a remembered token is refused once its key is no longer handed out (rotated out of the JWKS)', async () => {
    const token = keys.mint(partnerPrincipal(AgencyKind.COURT), { now: NOW });
    await verifyAccessToken(token, keys.provider, NOW);
    const without = { getKey: async () => undefined };
    await expect(verifyAccessToken(token, without, seconds(1))).rejects.toThrow(/unknown kid/);
  });

  it('issue 13 S2: the revocation list is asked on every call, so a remembered token revoked since is refused', async () => {
    const token = keys.mint(partnerPrincipal(AgencyKind.COURT), { now: NOW });
    const revocations = revocationsAnswering(undefined, 'token revoked');
    await verifyAccessToken(token, keys.provider, NOW, revocations);
    await expect(verifyAccessToken(token, keys.provider, seconds(1), revocations)).rejects.toThrow('token revoked');
    expect(revocations.calls).toBe(2);
  });

  it('refuses a token whose signature does not verify, even if another token of the same claims was seen', async () => {
    const token = keys.mint(partnerPrincipal(AgencyKind.COURT), { now: NOW });
    await verifyAccessToken(token, keys.provider, NOW);
    const [header, payload] = token.split('.');
    await expect(verifyAccessToken(`${header}.${payload}.${'A'.repeat(342)}`, keys.provider, NOW)).rejects.toThrow(/signature/);
  });
});
