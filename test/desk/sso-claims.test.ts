import { describe, expect, it } from 'vitest';
import { providerCheckedMfa, rolesOfClaim } from '../../src/accounts/sso/claim-roles.ts';
import { loadConfig } from '../../src/config.ts';
import { deskReturnPath } from '../../src/desk/api/accounts/desk-return-path.ts';
import { parseRoleMapping } from '../../src/roles.ts';

const SECRET = { GAZETTE_SECRET: 'x'.repeat(32) };

describe('OIDC_ROLES', () => {
  it('maps each group to its roles; a group named twice gets both lists; an LDAP name keeps its = and ,', () => {
    const mapping = parseRoleMapping(
      ' newsletter-editors = writer, editor ;senders=sender; senders=admin;cn=ops,ou=groups=admin ;',
    );
    expect([...mapping]).toEqual([
      ['newsletter-editors', ['writer', 'editor']],
      ['senders', ['sender', 'admin']],
      ['cn=ops,ou=groups', ['admin']],
    ]);
  });

  it('refuses an entry without =, without a group, or with an unknown role, naming it', () => {
    expect(() => parseRoleMapping('editors')).toThrow('"editors" is not group=role,role');
    expect(() => parseRoleMapping('=writer')).toThrow('"=writer"');
    expect(() => parseRoleMapping('editors=chief')).toThrow('unknown role "chief"');
    expect(() => parseRoleMapping('editors=')).toThrow('give at least one role');
  });

  it('is checked when the configuration loads, with the other OIDC settings it needs', () => {
    const oidc = { OIDC_ISSUER: 'https://id.city.example/realms/staff', OIDC_CLIENT_ID: 'gazette' };
    expect(() => loadConfig({ ...SECRET, ...oidc, OIDC_CLIENT_SECRET: 's', OIDC_ROLES: 'a=boss' })).toThrow(
      /OIDC_ROLES: unknown role "boss"/,
    );
    expect(() => loadConfig({ ...SECRET, ...oidc })).toThrow(/needs OIDC_CLIENT_SECRET, OIDC_ROLES/);
    expect(() => loadConfig({ ...SECRET, OIDC_ONLY: 'on' })).toThrow(/OIDC_ONLY=on .* set OIDC_ISSUER/);
    expect(() =>
      loadConfig({
        ...SECRET,
        ...oidc,
        OIDC_ISSUER: 'http://id.city.example',
        OIDC_CLIENT_SECRET: 's',
        OIDC_ROLES: 'a=writer',
      }),
    ).toThrow(/OIDC_ISSUER: must be https/);
    const config = loadConfig({ ...SECRET, ...oidc, OIDC_CLIENT_SECRET: 's', OIDC_ROLES: 'a=writer' });
    expect(config.OIDC_ROLES?.get('a')).toEqual(['writer']);
    expect(config.OIDC_ROLE_CLAIM).toBe('groups');
    expect(config.OIDC_ONLY).toBe(false);
  });
});

describe('the role claim', () => {
  const mapping = parseRoleMapping('editors=writer,editor;senders=sender');

  it('gives the roles of every mapped group, once each; unknown groups give none', () => {
    expect(rolesOfClaim(['parks', 'senders', 'editors', 'senders'], mapping)).toEqual([
      'sender',
      'writer',
      'editor',
    ]);
    expect(rolesOfClaim('editors', mapping)).toEqual(['writer', 'editor']);
    expect(rolesOfClaim(['parks'], mapping)).toEqual([]);
  });

  it('gives nothing for a claim that is absent or of another shape, nor for a group of another case', () => {
    for (const claim of [undefined, null, 42, { editors: true }, [['editors']], 'Editors', [' editors']]) {
      expect(rolesOfClaim(claim, mapping), JSON.stringify(claim)).toEqual([]);
    }
  });
});

describe('amr (RFC 8176)', () => {
  it('counts mfa, or a second method beside another, as two factors', () => {
    expect(providerCheckedMfa(['mfa'])).toBe(true);
    expect(providerCheckedMfa(['pwd', 'otp'])).toBe(true);
    expect(providerCheckedMfa(['hwk', 'pin'])).toBe(true);
    expect(providerCheckedMfa(['pwd'])).toBe(false);
    expect(providerCheckedMfa(['otp'])).toBe(false);
    expect(providerCheckedMfa(['pwd', 'kba'])).toBe(false);
    expect(providerCheckedMfa('mfa')).toBe(false);
    expect(providerCheckedMfa(undefined)).toBe(false);
  });
});

describe('the path a sign-in returns to', () => {
  it('is a path of the desk, else the desk home', () => {
    expect(deskReturnPath('/desk/issues/204')).toBe('/desk/issues/204');
    expect(deskReturnPath('/desk')).toBe('/desk');
    for (const next of [
      undefined,
      '',
      '//evil.example',
      '/desk//evil.example',
      'https://evil.example/desk',
      '/desk/../admin',
      '/desk/./x',
      '/desk\\evil',
      '/deskevil',
      '/desk/issues?x=1',
      '/desk/%2F%2Fevil',
      `/desk/${'a'.repeat(300)}`,
    ]) {
      expect(deskReturnPath(next), String(next)).toBe('/desk/');
    }
  });
});
